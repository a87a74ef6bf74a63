// GET /api/v1/transactions/{id} — one point transaction
import { presentTransaction } from "@/lib/api/ledger";
import { withApiKey } from "@/lib/api/with-api-key";
import { getTransactionOrThrow } from "@/lib/ledger";

type Params = { id: string };

export const GET = withApiKey<Params>(["ledger:read", "pos:write"], async ({ db, merchantId }, _request, { id }) =>
  Response.json(presentTransaction(await getTransactionOrThrow(db, merchantId, id))),
);
