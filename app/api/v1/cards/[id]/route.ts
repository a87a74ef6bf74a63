// GET /api/v1/cards/{id} — one card
// PATCH /api/v1/cards/{id} — change a card's values, expiry or status, all or nothing
import { inApiFieldPaths, loadApiCard } from "@/lib/api/cards";
import { patchCardRequestSchema } from "@/lib/api/schemas";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { patchCard } from "@/lib/cards";

type Params = { id: string };

export const GET = withApiKey<Params>("cards:read", async ({ db, merchantId }, _request, { id }) => Response.json(await loadApiCard(db, merchantId, id)));

export const PATCH = withApiKey<Params>("cards:write", async ({ db, merchantId, actor }, request, { id }) => {
  const patch = patchCardRequestSchema.parse((await readJson(request)).value);
  await patchCard(db, merchantId, actor, id, patch).catch(inApiFieldPaths);
  return Response.json(await loadApiCard(db, merchantId, id));
});
