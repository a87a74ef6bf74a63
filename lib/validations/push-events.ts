import { z } from "zod";
import { multilineText, text } from "./common";

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: "pushEvents.errors.colour" });

/** Who a push event reaches: cards of the chosen templates, narrowed by each filter given. */
export const pushAudienceSchema = z.object({
  templateIds: z.array(z.uuid()).min(1, { error: "pushEvents.errors.templates" }).max(50),
  status: z
    .array(z.enum(["installed", "apple", "google", "not_installed"]))
    .max(4)
    .optional(),
  level: text(60).optional(),
  balanceMin: z.number().int().min(0).max(1_000_000_000).optional(),
  balanceMax: z.number().int().min(0).max(1_000_000_000).optional(),
  daysSinceLastPurchase: z.number().int().min(1).max(3650).optional(),
  birthdayMonth: z.number().int().min(1).max(12).optional(),
  locationId: z.uuid().optional(),
});

export const promotionDesignSchema = z.object({
  backgroundColor: hex.optional(),
  foregroundColor: hex.optional(),
  labelColor: hex.optional(),
  stripFileId: z.uuid().optional(),
  fields: z
    .record(
      z.string().regex(/^[A-Za-z0-9_]{1,40}$/),
      z.object({ label: text(60).optional(), value: text(200).optional() }),
    )
    .optional(),
  backText: multilineText(2000).optional(),
});

/** An instant with its offset (ISO 8601); a Date from the cabinet's own parsing is taken as it is. */
const instant = z
  .preprocess((v) => (v instanceof Date ? v.toISOString() : v), z.iso.datetime({ offset: true, error: "pushEvents.errors.time" }))
  .transform((v) => new Date(v));

export const pushEventTypeSchema = z.enum(["push", "promotion", "sms"]);

/** One push event as the cabinet and the API give it (times are instants; the cabinet reads them in the merchant's zone). */
export const pushEventInputSchema = z
  .object({
    type: pushEventTypeSchema,
    name: text(120).optional().default(""),
    message: multilineText(500).optional().default(""),
    audience: pushAudienceSchema,
    design: promotionDesignSchema.optional().default({}),
    startAt: instant.nullable().optional(),
    endAt: instant.nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.type === "push" || v.type === "sms") && !v.message) ctx.addIssue({ code: "custom", path: ["message"], message: "pushEvents.errors.message" });
    if (v.type === "promotion" && !v.endAt) ctx.addIssue({ code: "custom", path: ["endAt"], message: "pushEvents.errors.endAt" });
    if (v.endAt && v.endAt.getTime() <= (v.startAt ?? new Date()).getTime())
      ctx.addIssue({ code: "custom", path: ["endAt"], message: "pushEvents.errors.endBeforeStart" });
    const { balanceMin, balanceMax } = v.audience;
    if (balanceMin !== undefined && balanceMax !== undefined && balanceMin > balanceMax)
      ctx.addIssue({ code: "custom", path: ["audience", "balanceMax"], message: "pushEvents.errors.balanceRange" });
  });

export type PushEventInput = z.infer<typeof pushEventInputSchema>;
export type PushAudienceInput = z.infer<typeof pushAudienceSchema>;
