// POST /api/v1/transactions/{id}/cancel — drop a transaction still awaiting the customer's code
import { withApiKey } from "@/lib/api/with-api-key";
import { cancelConfirmation } from "@/lib/till/confirm";

type Params = { id: string };

export const POST = withApiKey<Params>("pos:write", async ({ db, merchantId }, _request, { id }) => {
  return Response.json(await cancelConfirmation(db, merchantId, id));
});
