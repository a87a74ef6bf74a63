// GET /api/v1/cards/{id} — one card with what of its points expires when, and its ETag
// PATCH /api/v1/cards/{id} — change a card's values, expiry or status, all or nothing; `If-Match` makes it conditional
// DELETE /api/v1/cards/{id} — delete a card for good (its events stay); `Idempotency-Key` accepted
import { cardETag, ifMatchPrecondition, inApiFieldPaths, loadApiCardDetail, parseIfMatch } from "@/lib/api/cards";
import { patchCardRequestSchema } from "@/lib/api/schemas";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { patchCard } from "@/lib/cards";

export { deleteCardHandler as DELETE } from "@/lib/api/card-actions";

type Params = { id: string };

const withETag = (card: Awaited<ReturnType<typeof loadApiCardDetail>>) => Response.json(card, { headers: { etag: cardETag(card) } });

export const GET = withApiKey<Params>("cards:read", async ({ db, merchantId }, _request, { id }) => withETag(await loadApiCardDetail(db, merchantId, id)));

export const PATCH = withApiKey<Params>("cards:write", async ({ db, merchantId, actor }, request, { id }) => {
  const condition = parseIfMatch(request.headers.get("if-match"));
  const patch = patchCardRequestSchema.parse((await readJson(request)).value);
  await patchCard(db, merchantId, actor, id, patch, ifMatchPrecondition(merchantId, id, condition)).catch(inApiFieldPaths);
  return withETag(await loadApiCardDetail(db, merchantId, id));
});
