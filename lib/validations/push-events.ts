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
  fields: z.record(z.string().regex(/^[A-Za-z0-9_]{1,40}$/), z.object({ label: text(60).optional(), value: text(200).optional() })).optional(),
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

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const intOf = (v: unknown) => {
  const b = blankToUndefined(v);
  return typeof b === "string" && /^-?\d+$/.test(b.trim()) ? Number(b) : b;
};

/**
 * The cabinet's form, flat as FormData gives it, read into a push event: `audience.templateIds.<id>`
 * and `audience.status.<status>` checkboxes, `audience.*` and `design.*` fields, and start / end
 * times typed in the merchant's time zone (`zoned` turns one into an instant, or null when it is not one).
 */
function readPushEventForm(raw: unknown, zoned: (value: string) => Date | null) {
  {
    const form = (raw ?? {}) as Record<string, unknown>;
    const keysAfter = (prefix: string) => Object.keys(form).flatMap((k) => (k.startsWith(prefix) && form[k] !== undefined ? [k.slice(prefix.length)] : []));
    const time = (v: unknown) => {
      const b = blankToUndefined(v);
      return typeof b === "string" ? (zoned(b) ?? b) : undefined;
    };
    const design: Record<string, unknown> = {};
    for (const key of ["backgroundColor", "foregroundColor", "labelColor", "backText"]) {
      const v = blankToUndefined(form[`design.${key}`]);
      if (v !== undefined) design[key] = v;
    }
    const fieldKey = blankToUndefined(form["design.fieldKey"]);
    if (typeof fieldKey === "string")
      design.fields = { [fieldKey.trim()]: { label: blankToUndefined(form["design.fieldLabel"]), value: blankToUndefined(form["design.fieldValue"]) } };
    return {
      type: form.type,
      name: form.name ?? "",
      message: form.message ?? "",
      audience: {
        templateIds: keysAfter("audience.templateIds."),
        status: keysAfter("audience.status.").length ? keysAfter("audience.status.") : undefined,
        level: blankToUndefined(form["audience.level"]),
        balanceMin: intOf(form["audience.balanceMin"]),
        balanceMax: intOf(form["audience.balanceMax"]),
        daysSinceLastPurchase: intOf(form["audience.daysSinceLastPurchase"]),
        birthdayMonth: intOf(form["audience.birthdayMonth"]),
        locationId: blankToUndefined(form["audience.locationId"]),
      },
      design,
      startAt: time(form.startAt) ?? null,
      endAt: time(form.endAt) ?? null,
    };
  }
}

export function pushEventFormSchema(zoned: (value: string) => Date | null) {
  return z.preprocess((raw) => readPushEventForm(raw, zoned), pushEventInputSchema);
}

/** Only the form's audience (the count shown before saving needs nothing else filled in). */
export const audienceFormSchema = z.preprocess((raw) => readPushEventForm(raw, () => null).audience, pushAudienceSchema);

export const pushEventIdSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });

/** Quiet hours: both empty (none) or both hours 0–23. */
export const quietHoursSchema = z
  .object({
    quietFrom: z.preprocess(intOf, z.number().int().min(0).max(23, { error: "pushEvents.errors.hour" }).optional()),
    quietTo: z.preprocess(intOf, z.number().int().min(0).max(23, { error: "pushEvents.errors.hour" }).optional()),
  })
  .refine((v) => (v.quietFrom === undefined) === (v.quietTo === undefined), { path: ["quietTo"], message: "pushEvents.errors.quietBoth" });

/** The form's audience and message, for the cost of SMS news before sending. */
export const smsEstimateFormSchema = z.preprocess(
  (raw) => {
    const read = readPushEventForm(raw, () => null);
    return { audience: read.audience, message: read.message };
  },
  z.object({ audience: pushAudienceSchema, message: multilineText(500).min(1, { error: "pushEvents.errors.message" }) }),
);

/** A triggered message rule, from the cabinet's form. */
export const triggerRuleSchema = z.object({
  kind: z.enum(["birthday", "inactive", "points_expiring", "welcome", "level_reached"], { error: "pushEvents.errors.kind" }),
  channel: z.enum(["push", "sms"]).default("push"),
  message: multilineText(500).min(1, { error: "pushEvents.errors.message" }),
  days: z.preprocess(intOf, z.number({ error: "pushEvents.errors.days" }).int().min(0).max(3650).default(0)),
  hour: z.preprocess(intOf, z.number({ error: "pushEvents.errors.hour" }).int().min(0).max(23).default(10)),
  limitPerCard: z.preprocess(intOf, z.number({ error: "pushEvents.errors.limit" }).int().min(1).max(100).default(1)),
});
