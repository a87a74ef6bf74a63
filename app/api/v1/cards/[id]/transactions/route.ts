// GET /api/v1/cards/{id}/transactions — a card's point transactions, newest first, a page at a time
// POST /api/v1/cards/{id}/transactions — accrue, redeem or take a purchase (Idempotency-Key required)
import { decodeTransactionCursor, encodeTransactionCursor, postedResponse, presentTransaction, requiredIdempotencyKey } from "@/lib/api/ledger";
import { listTransactionsQuerySchema } from "@/lib/api/ledger-schemas";
import { queryOf, readJson, withApiKey } from "@/lib/api/with-api-key";
import { listCardTransactions, postTransaction } from "@/lib/ledger";
import { postTransactionSchema } from "@/lib/validations/ledger";

type Params = { id: string };

export const GET = withApiKey<Params>("ledger:read", async ({ db, merchantId }, request, { id }) => {
  const { cursor, limit } = listTransactionsQuerySchema.parse(queryOf(request));
  const page = await listCardTransactions(db, merchantId, id, { after: cursor ? decodeTransactionCursor(cursor) : undefined, limit });
  return Response.json({ data: page.rows.map(presentTransaction), nextCursor: page.next ? encodeTransactionCursor(page.next) : null });
});

export const POST = withApiKey<Params>("pos:write", async ({ db, merchantId, actor }, request, { id }) => {
  const idempotencyKey = requiredIdempotencyKey(request);
  const input = postTransactionSchema.parse((await readJson(request)).value);
  return postedResponse(await postTransaction(db, { merchantId, actor }, { ...input, cardId: id, idempotencyKey }));
});
