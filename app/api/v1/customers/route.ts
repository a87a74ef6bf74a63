// GET /api/v1/customers — find customers by phone (any format), e-mail or name, a page at a time
// POST /api/v1/customers — create a customer (send `Idempotency-Key` to make retries safe)
import { listCustomersByKeyset } from "@/db/queries/customers-api";
import { decodeCursor, encodeCursor } from "@/lib/api/cards";
import { presentCustomer } from "@/lib/api/customers";
import { idempotent } from "@/lib/api/idempotency";
import { customerCreateRequestSchema, listCustomersQuerySchema } from "@/lib/api/rest-schemas";
import { queryOf, readJson, withApiKey } from "@/lib/api/with-api-key";
import { createCustomer } from "@/lib/customers/service";

export const GET = withApiKey("customers:read", async ({ db, merchantId, merchant }, request) => {
  const { cursor, limit, ...filters } = listCustomersQuerySchema(merchant.country).parse(queryOf(request));
  const page = await listCustomersByKeyset(db, merchantId, filters, { after: cursor ? decodeCursor(cursor) : undefined, limit });
  return Response.json({ data: page.rows.map(presentCustomer), nextCursor: page.next ? encodeCursor(page.next) : null });
});

export const POST = withApiKey("customers:write", async ({ db, merchantId, merchant, actor }, request) => {
  const body = await readJson(request);
  const input = customerCreateRequestSchema(merchant.country).parse(body.value);
  return idempotent(db, merchantId, request, body.text, async (tx) => ({
    status: 201,
    body: presentCustomer(await createCustomer(tx, { merchantId, actor }, input)),
  }));
});
