// GET /api/v1/customers/{id}/cards — a customer's cards, a page at a time
import { listCardsByKeyset } from "@/db/queries/cards-api";
import { decodeCursor, encodeCursor, presentCard } from "@/lib/api/cards";
import { customerCardsQuerySchema } from "@/lib/api/rest-schemas";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { getCustomerOrThrow } from "@/lib/customers/service";

type Params = { id: string };

export const GET = withApiKey<Params>(["customers:read", "cards:read"], async ({ db, merchantId }, request, { id }) => {
  const { cursor, limit } = customerCardsQuerySchema.parse(queryOf(request));
  const customer = await getCustomerOrThrow(db, merchantId, id);
  const page = await listCardsByKeyset(db, merchantId, { customerId: customer.id }, { after: cursor ? decodeCursor(cursor) : undefined, limit });
  return Response.json({ data: page.rows.map(presentCard), nextCursor: page.next ? encodeCursor(page.next) : null });
});
