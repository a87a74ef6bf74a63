// GET /api/v1/trigger-rules — the merchant's triggered message rules, newest first
// POST /api/v1/trigger-rules — create a rule (birthday, no purchase for N days, points expiring, welcome, level reached)
import { presentTriggerRule } from "@/lib/api/trigger-rules";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { createTriggerRule, listTriggerRules } from "@/lib/push-events/triggers";
import { triggerRuleCreateSchema } from "@/lib/validations/push-events";

export const GET = withApiKey(["campaigns:read", "campaigns:write"], async ({ db, merchantId }) => {
  const rows = await listTriggerRules(db, merchantId);
  return Response.json({ data: rows.map(presentTriggerRule) });
});

export const POST = withApiKey("campaigns:write", async ({ db, merchantId }, request) => {
  const input = triggerRuleCreateSchema.parse((await readJson(request)).value);
  return Response.json(presentTriggerRule(await createTriggerRule(db, merchantId, input)), { status: 201 });
});
