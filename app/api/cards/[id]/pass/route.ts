// GET /api/cards/{id}/pass — the card's current .pkpass, for staff to download or send by hand
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { getCardOrThrow } from "@/lib/cards";
import { pkpassResponse } from "@/lib/wallet/http";
import { buildCardPass, loadCardForPass } from "@/lib/wallet/pass";

export const GET = withStaff<{ id: string }>("cards.view", async (ctx, _request, { id }) => {
  const db = getDb();
  const { card } = await getCardOrThrow(db, ctx.merchantId, id);
  return pkpassResponse(await buildCardPass(db, await loadCardForPass(db, ctx.merchantId, card.id)), card.number);
});
