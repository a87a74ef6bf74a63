// GET /api/v1/trigger-rules/{id} — one triggered message rule with how many it has sent
// PATCH /api/v1/trigger-rules/{id} — change it (only the fields sent); `enabled: false` pauses it
// DELETE /api/v1/trigger-rules/{id} — delete it; messages already sent stay in the cards' history
import { invalidField } from "@/lib/api/errors";
import { presentTriggerRule } from "@/lib/api/trigger-rules";
import { pathId } from "@/lib/api/webhooks";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { deleteTriggerRule, getTriggerRuleOrThrow, updateTriggerRule } from "@/lib/push-events/triggers";
import { triggerRulePatchSchema } from "@/lib/validations/push-events";

type Params = { id: string };

export const GET = withApiKey<Params>(["campaigns:read", "campaigns:write"], async ({ db, merchantId }, _request, { id }) =>
  Response.json(presentTriggerRule(await getTriggerRuleOrThrow(db, merchantId, pathId(id)))),
);

export const PATCH = withApiKey<Params>("campaigns:write", async ({ db, merchantId }, request, { id }) => {
  const patch = triggerRulePatchSchema.parse((await readJson(request)).value);
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (!Object.keys(given).length) throw invalidField("", "api.errors.emptyPatch");
  return Response.json(presentTriggerRule(await updateTriggerRule(db, merchantId, pathId(id), given)));
});

export const DELETE = withApiKey<Params>("campaigns:write", async ({ db, merchantId }, _request, { id }) => {
  await deleteTriggerRule(db, merchantId, pathId(id));
  return new Response(null, { status: 204 });
});
