import "server-only";
import { z } from "zod";
import type { PushEvent } from "@/db/schema";
import type { PushEventCounts } from "@/lib/push-events";

/** A push event as GET /api/v1/campaigns/{id} shows it. */
export const apiCampaignSchema = z.object({
  id: z.uuid(),
  type: z.enum(["push", "promotion", "sms"]),
  status: z.enum(["scheduled", "running", "finished"]),
  name: z.string(),
  message: z.string(),
  startAt: z.string().nullable().meta({ description: "When it starts (null: it started, or starts, at once)." }),
  endAt: z.string().nullable().meta({ description: "When a promotion ends and the cards go back to their template." }),
  total: z.number().int().meta({ description: "Cards in the audience when it started." }),
  processed: z.number().int().meta({ description: "Cards handled so far." }),
  counts: z.object({
    apple: z.object({
      pushed: z.number().int(),
      accepted: z.number().int(),
      failed: z.number().int().meta({ description: "Refused by APNs, or the card's retries ran out." }),
      gone: z.number().int(),
    }),
    google: z.object({
      notified: z.number().int(),
      quiet: z.number().int().meta({ description: "Shown without a notification (Google's 3 a day)." }),
      failed: z.number().int().meta({ description: "Refused by Google, or its retries ran out." }),
      inDoubt: z
        .number()
        .int()
        .meta({ description: "Caught by a crash between sending and recording: not sent twice, so whether the phone was alerted is unknown." }),
    }),
    sms: z.object({
      delivered: z.number().int(),
      failed: z.number().int(),
      inDoubt: z.number().int().meta({ description: "Caught by a crash mid-hand-over to the provider: not sent again; whether it went is unknown." }),
      cost: z.number().int().meta({ description: "Minor units." }),
    }),
  }),
  createdAt: z.string(),
});

export const apiCampaignListSchema = z.object({ data: z.array(apiCampaignSchema), total: z.number().int() });
export const apiCampaignCreatedSchema = z.object({ id: z.uuid(), status: z.enum(["scheduled", "running", "finished"]) });

export const listCampaignsQuerySchema = z.object({
  page: z.coerce.number({ error: "api.errors.limit" }).int().min(1).max(100_000).default(1).meta({ description: "Page number, from 1." }),
  limit: z.coerce
    .number({ error: "api.errors.limit" })
    .int({ error: "api.errors.limit" })
    .min(1, { error: "api.errors.limit" })
    .max(100, { error: "api.errors.limit" })
    .default(50)
    .meta({ description: "Campaigns per page, 1–100." }),
});

/** The counts come from loadPushEventsCounts (SMS news's from its messages), as on the cabinet's pages. */
export function presentCampaign(row: PushEvent, counts: PushEventCounts): z.infer<typeof apiCampaignSchema> {
  return {
    id: row.id,
    type: row.type,
    status: row.state,
    name: row.name,
    message: row.message,
    startAt: row.startAt?.toISOString() ?? null,
    endAt: row.endAt?.toISOString() ?? null,
    total: row.total,
    processed: row.processed,
    counts,
    createdAt: row.createdAt.toISOString(),
  };
}
