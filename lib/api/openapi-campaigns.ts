import "server-only";
import type { z } from "zod";
import { pushEventInputSchema } from "@/lib/validations/push-events";
import { apiCampaignCreatedSchema, apiCampaignListSchema, apiCampaignSchema, listCampaignsQuerySchema } from "./campaigns";
import { type Json, type Helpers, ok } from "./openapi-parts";

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
    google: { notified: 300, quiet: 12, failed: 0 },
    sms: { delivered: 0, failed: 0, cost: 0 },
  },
  createdAt: "2026-11-29T12:00:00.000Z",
};

export const campaignInputSchemas: Record<string, z.ZodType> = { CampaignCreate: pushEventInputSchema };
export const campaignSchemas: Record<string, z.ZodType> = {
  Campaign: apiCampaignSchema,
  CampaignList: apiCampaignListSchema,
  CampaignCreated: apiCampaignCreatedSchema,
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
          "`promotion` lays `design` over the audience's cards from `startAt` until `endAt`, then they go back to their template.",
          "No `startAt` starts it now; the audience is every card of `audience.templateIds`, narrowed by the other filters.",
        ].join(" "),
        scope: "campaigns:write",
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
  };
}
