import "server-only";
import { z } from "zod";
import type { PushTriggerRule } from "@/db/schema";

/** A triggered message rule as /api/v1/trigger-rules shows it. */
export const apiTriggerRuleSchema = z.object({
  id: z.uuid(),
  kind: z.enum(["birthday", "inactive", "points_expiring", "welcome", "level_reached"]),
  channel: z.enum(["push", "sms"]),
  message: z.string(),
  days: z.number().int(),
  hour: z.number().int(),
  limitPerCard: z.number().int(),
  quietFrom: z.number().int().nullable().meta({ description: "The start hour of the rule's own quiet hours; null: the merchant's apply." }),
  quietTo: z.number().int().nullable().meta({ description: "The end hour (exclusive) of the rule's own quiet hours; null: the merchant's apply." }),
  enabled: z.boolean(),
  sent: z.number().int().meta({ description: "Messages sent by this rule so far." }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const apiTriggerRuleListSchema = z.object({ data: z.array(apiTriggerRuleSchema) });

export function presentTriggerRule(r: PushTriggerRule): z.infer<typeof apiTriggerRuleSchema> {
  return {
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    message: r.message,
    days: r.days,
    hour: r.hour,
    limitPerCard: r.limitPerCard,
    quietFrom: r.quietFrom,
    quietTo: r.quietTo,
    enabled: r.enabled,
    sent: r.sent,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
