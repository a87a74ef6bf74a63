// POST /api/v1/pos/authorizations — send a one-time PIN to the card holder's phone (asked by phone or by card number)
import { tillContextOf } from "@/lib/api/till";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { startAuthorization } from "@/lib/till/pin";
import { authorizationBodySchema } from "@/lib/api/till-schemas";

export const POST = withApiKey("pos:write", async (ctx, request) => {
  const target = authorizationBodySchema(ctx.merchant.country).parse((await readJson(request)).value);
  return Response.json(await startAuthorization(ctx.db, tillContextOf(ctx, request), target), { status: 201 });
});
