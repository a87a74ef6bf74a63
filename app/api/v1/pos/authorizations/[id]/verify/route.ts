// POST /api/v1/pos/authorizations/{id}/verify — the PIN the customer received opens the card (once)
import { presentLookup } from "@/lib/api/ledger";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { verifyAuthorization } from "@/lib/till/pin";
import { verifyPinSchema } from "@/lib/validations/till";

type Params = { id: string };

export const POST = withApiKey<Params>("pos:write", async ({ db, merchantId }, request, { id }) => {
  const { pin } = verifyPinSchema.parse((await readJson(request)).value);
  return Response.json(presentLookup(await verifyAuthorization(db, merchantId, id, pin)));
});
