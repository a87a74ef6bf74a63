// GET /api/v1/transactions?idempotencyKey= — the transaction a till sent with that key (for a till that lost the answer)
import { presentTransaction } from "@/lib/api/ledger";
import { findTransactionQuerySchema } from "@/lib/api/ledger-schemas";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { NotFoundError } from "@/lib/errors";
import { findTransactionByKey } from "@/lib/ledger";

export const GET = withApiKey(["ledger:read", "pos:write"], async ({ db, merchantId }, request) => {
  const { idempotencyKey } = findTransactionQuerySchema.parse(queryOf(request));
  const found = await findTransactionByKey(db, merchantId, idempotencyKey);
  if (!found) throw new NotFoundError();
  return Response.json(presentTransaction(found));
});
