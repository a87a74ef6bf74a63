// POST /api/v1/transactions/{id}/reverse — reverse a transaction in full or in part (Idempotency-Key required)
import { postedResponse, requiredIdempotencyKey } from "@/lib/api/ledger";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { reverseTransaction } from "@/lib/ledger";
import { reverseTransactionSchema } from "@/lib/validations/ledger";

type Params = { id: string };

export const POST = withApiKey<Params>("pos:write", async ({ db, merchantId, actor, till }, request, { id }) => {
  const idempotencyKey = requiredIdempotencyKey(request);
  // No body at all is a full reversal.
  const body = await readJson(request, { emptyAs: {} });
  const input = reverseTransactionSchema.parse(body.value);
  return postedResponse(await reverseTransaction(db, { merchantId, actor }, { ...input, transactionId: id, idempotencyKey }, { tillId: till?.id }));
});
