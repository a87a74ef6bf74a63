import "server-only";
import type { z } from "zod";
import { pushEventInputSchema, triggerRuleCreateSchema, triggerRulePatchSchema } from "@/lib/validations/push-events";
import { apiCampaignCreatedSchema, apiCampaignListSchema, apiCampaignSchema, listCampaignsQuerySchema } from "./campaigns";
import { type Json, type Helpers, idempotencyKeyParameter, ok } from "./openapi-parts";
import { apiTriggerRuleListSchema, apiTriggerRuleSchema } from "./trigger-rules";

/** Push events (campaigns) in the OpenAPI document (lib/api/openapi.ts puts it together). */

const campaignId = { name: "id", in: "path", required: true, description: "The campaign's id.", schema: { type: "string", format: "uuid" } };

const example = {
  id: "9e6b3f0d-8a1c-4d5e-9f2b-4c6d8e0f2a4b",
  type: "push",
  status: "finished",
  name: "Autumn news",
  message: "Coffee is half price until Sunday",
  startAt: null,
  endAt: null,
  total: 1200,
  processed: 1200,
  counts: {
    apple: { pushed: 800, accepted: 790, failed: 2, gone: 8 },
    google: { notified: 300, quiet: 12, failed: 0, inDoubt: 1 },
    sms: { delivered: 0, failed: 0, inDoubt: 0, cost: 0 },
  },
  createdAt: "2026-11-29T12:00:00.000Z",
};

const ruleId = { name: "id", in: "path", required: true, description: "The rule's id.", schema: { type: "string", format: "uuid" } };
const exampleRule = {
  id: "5b7d9f1e-2c4a-4e6b-8d0f-1a3c5e7f9b2d",
  kind: "birthday",
  channel: "push",
  message: "Happy birthday! A coffee on us today.",
  days: 0,
  hour: 10,
  limitPerCard: 1,
  quietFrom: null,
  quietTo: null,
  enabled: true,
  sent: 42,
  createdAt: "2026-11-01T09:00:00.000Z",
  updatedAt: "2026-11-20T15:30:00.000Z",
};

export const campaignInputSchemas: Record<string, z.ZodType> = {
  CampaignCreate: pushEventInputSchema,
  TriggerRuleCreate: triggerRuleCreateSchema,
  TriggerRulePatch: triggerRulePatchSchema,
};
export const campaignSchemas: Record<string, z.ZodType> = {
  Campaign: apiCampaignSchema,
  CampaignList: apiCampaignListSchema,
  CampaignCreated: apiCampaignCreatedSchema,
  TriggerRule: apiTriggerRuleSchema,
  TriggerRuleList: apiTriggerRuleListSchema,
};

export function campaignPaths({ operation, queryParameters }: Helpers): Record<string, Json> {
  return {
    "/campaigns": {
      get: operation({
        id: "listCampaigns",
        summary: "List campaigns",
        description: "Push notifications, dynamic promotions and SMS news, newest first; deleted ones are left out. `campaigns:write` also allows this.",
        scope: "campaigns:read",
        parameters: queryParameters(listCampaignsQuerySchema),
        ok: ok("200", "A page of campaigns.", "CampaignList", { data: [example], total: 1 }),
        errors: ["Validation"],
      }),
      post: operation({
        id: "createCampaign",
        summary: "Create a campaign",
        description: [
          "`push` sends `message` to the wallets of the audience (Apple: the pass's news field changes and its devices get a push; Google: a message, notifying at most 3 times a day per pass).",
          "`promotion` lays `design` over the audience's cards from `startAt` until `endAt`, then they go back to their template; a key given twice in `design.fields` is refused (422 at `design.fields.<key>`), never merged.",
          "No `startAt` starts it now; the audience is every card of `audience.templateIds`, narrowed by the other filters.",
          "Send an `Idempotency-Key` header to retry safely: a campaign is never created (and sent) twice for one key.",
        ].join(" "),
        scope: "campaigns:write",
        parameters: [idempotencyKeyParameter],
        body: "CampaignCreate",
        bodyExamples: {
          push: {
            summary: "A push notification now",
            value: { type: "push", message: "Coffee is half price until Sunday", audience: { templateIds: [example.id], status: ["installed"] } },
          },
          promotion: {
            summary: "A promotion for a weekend",
            value: {
              type: "promotion",
              audience: { templateIds: [example.id] },
              design: { backgroundColor: "#111111", backText: "-50% this weekend" },
              startAt: "2026-12-05T07:00:00.000Z",
              endAt: "2026-12-07T21:00:00.000Z",
            },
          },
        },
        ok: ok("201", "The campaign's id and status.", "CampaignCreated", { id: example.id, status: "scheduled" }),
        errors: ["BadRequest", "Validation"],
      }),
    },
    "/campaigns/{id}": {
      get: operation({
        id: "getCampaign",
        summary: "Get a campaign with its figures",
        description: "`campaigns:write` also allows this.",
        scope: "campaigns:read",
        parameters: [campaignId],
        ok: ok("200", "The campaign.", "Campaign", example),
        errors: ["NotFound"],
      }),
      delete: operation({
        id: "deleteCampaign",
        summary: "Delete a campaign",
        description: "A running push stops; a running promotion first takes itself off the cards. Its figures stay in the reports.",
        scope: "campaigns:write",
        parameters: [campaignId],
        ok: ["204", { description: "Deleted." }],
        errors: ["NotFound"],
      }),
    },
    "/trigger-rules": {
      get: operation({
        id: "listTriggerRules",
        summary: "List triggered message rules",
        description: "Every rule of the merchant, newest first, with how many messages each has sent. `campaigns:write` also allows this.",
        scope: "campaigns:read",
        ok: ok("200", "The rules.", "TriggerRuleList", { data: [exampleRule] }),
        errors: [],
      }),
      post: operation({
        id: "createTriggerRule",
        summary: "Create a triggered message rule",
        description:
          "A push or an SMS to one card when something happens to it. Quiet hours apply (the rule's own `quietFrom`–`quietTo`, else the merchant's): a message due inside them waits until they end; an SMS goes only to a holder with marketing consent; `limitPerCard` caps how many one card gets in 30 days.",
        scope: "campaigns:write",
        body: "TriggerRuleCreate",
        bodyExamples: {
          birthday: { summary: "Birthday at 10:00", value: { kind: "birthday", message: "Happy birthday! A coffee on us today.", hour: 10 } },
          inactive: {
            summary: "30 days without a purchase, by SMS",
            value: { kind: "inactive", channel: "sms", message: "We miss you: -10% this week", days: 30 },
          },
        },
        ok: ok("201", "The new rule.", "TriggerRule", exampleRule),
        errors: ["BadRequest", "Validation"],
      }),
    },
    "/trigger-rules/{id}": {
      get: operation({
        id: "getTriggerRule",
        summary: "Get a triggered message rule",
        description: "`campaigns:write` also allows this.",
        scope: "campaigns:read",
        parameters: [ruleId],
        ok: ok("200", "The rule.", "TriggerRule", exampleRule),
        errors: ["NotFound"],
      }),
      patch: operation({
        id: "updateTriggerRule",
        summary: "Change a triggered message rule",
        description:
          "Only the fields sent change. `enabled: false` pauses the rule: nothing more goes by it, and messages already waiting (for their hour or the end of quiet hours) are skipped.",
        scope: "campaigns:write",
        parameters: [ruleId],
        body: "TriggerRulePatch",
        bodyExamples: {
          message: { summary: "A new text", value: { message: "Happy birthday! Dessert on us today." } },
          pause: { summary: "Pause it", value: { enabled: false } },
          quiet: { summary: "Its own quiet hours, 21:00 to 10:00", value: { quietFrom: 21, quietTo: 10 } },
        },
        ok: ok("200", "The rule as it is now.", "TriggerRule", { ...exampleRule, message: "Happy birthday! Dessert on us today." }),
        errors: ["BadRequest", "NotFound", "Validation"],
      }),
      delete: operation({
        id: "deleteTriggerRule",
        summary: "Delete a triggered message rule",
        description: "No more messages go by it; those already sent stay in the cards' history.",
        scope: "campaigns:write",
        parameters: [ruleId],
        ok: ["204", { description: "Deleted." }],
        errors: ["NotFound"],
      }),
    },
  };
}
