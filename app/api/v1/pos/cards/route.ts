// POST /api/v1/pos/cards — issue a card at the counter, or activate a pre-printed one by its number
import { inApiIssueTerms, loadApiCard } from "@/lib/api/cards";
import { tillContextOf } from "@/lib/api/till";
import { posCardSchema } from "@/lib/api/till-schemas";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { issueAtCounter } from "@/lib/till/issue";

export const POST = withApiKey("pos:write", async (ctx, request) => {
  const { number, ...customer } = posCardSchema(ctx.merchant.country).parse((await readJson(request)).value);
  const card = await issueAtCounter(ctx.db, tillContextOf(ctx, request), { customer, number }).catch((err) => inApiIssueTerms(ctx.db, ctx.merchantId, err));
  return Response.json(await loadApiCard(ctx.db, ctx.merchantId, card.id), { status: 201 });
});
