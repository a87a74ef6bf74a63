import { z } from "zod";
import { multilineText, text } from "./common";
import { markSourceKeys, refuseRepeatedKeys, type SourceKey } from "./source-keys";

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: "pushEvents.errors.colour" });

/**
 * An object that refuses fields it does not know: a misspelt filter (`statuses`) or start (`sendAt`)
 * must not widen an audience or send a campaign now. The document says so (`additionalProperties: false`).
 */
const knownFieldsOnly = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject(shape, { error: (issue) => (issue.code === "unrecognized_keys" ? "pushEvents.errors.unknownField" : undefined) });

/** Who a push event reaches: cards of the chosen templates, narrowed by each filter given. */
export const pushAudienceSchema = knownFieldsOnly({
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

export const promotionDesignSchema = knownFieldsOnly({
  backgroundColor: hex.optional(),
  foregroundColor: hex.optional(),
  labelColor: hex.optional(),
  stripFileId: z.uuid().optional(),
  // A field key given twice (two rows of the form, or a key repeated in the API's JSON) is refused at the repeat, never merged.
  fields: refuseRepeatedKeys(
    z.record(z.string().regex(/^[A-Za-z0-9_]{1,40}$/), z.object({ label: text(60).optional(), value: text(200).optional() })),
    "pushEvents.errors.fieldKeyRepeated",
  ).optional(),
  backText: multilineText(2000).optional(),
});

/** An instant with its offset (ISO 8601); a Date from the cabinet's own parsing is taken as it is. */
const instant = z
  .preprocess((v) => (v instanceof Date ? v.toISOString() : v), z.iso.datetime({ offset: true, error: "pushEvents.errors.time" }))
  .transform((v) => new Date(v));

export const pushEventTypeSchema = z.enum(["push", "promotion", "sms"]);

/** One push event as the cabinet and the API give it (times are instants; the cabinet reads them in the merchant's zone). */
export const pushEventInputSchema = knownFieldsOnly({
  type: pushEventTypeSchema,
  name: text(120).optional().default(""),
  message: multilineText(500).optional().default(""),
  audience: pushAudienceSchema,
  design: promotionDesignSchema.optional().default({}),
  startAt: instant.nullable().optional(),
  endAt: instant.nullable().optional(),
}).superRefine((v, ctx) => {
  if ((v.type === "push" || v.type === "sms") && !v.message) ctx.addIssue({ code: "custom", path: ["message"], message: "pushEvents.errors.message" });
  if (v.type === "promotion" && !v.endAt) ctx.addIssue({ code: "custom", path: ["endAt"], message: "pushEvents.errors.endAt" });
  if (v.endAt && v.endAt.getTime() <= Date.now()) ctx.addIssue({ code: "custom", path: ["endAt"], message: "pushEvents.errors.endPassed" });
  else if (v.endAt && v.endAt.getTime() <= (v.startAt ?? new Date()).getTime())
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
    const stripFileId = blankToUndefined(form["design.stripFileId"]);
    if (stripFileId !== undefined) design.stripFileId = stripFileId;
    // Field rows `design.fields.<n>.key|label|value`, in the order the form has them; a row with no key is left out.
    const rows = [...new Set(keysAfter("design.fields.").map((k) => k.split(".")[0]))].sort((x, y) => Number(x) - Number(y));
    const fields: Record<string, { label?: unknown; value?: unknown }> = {};
    const keys: SourceKey[] = [];
    for (const n of rows) {
      const key = blankToUndefined(form[`design.fields.${n}.key`]);
      if (typeof key !== "string") continue;
      fields[key.trim()] = { label: blankToUndefined(form[`design.fields.${n}.label`]), value: blankToUndefined(form[`design.fields.${n}.value`]) };
      keys.push({ key: key.trim(), path: [n, "key"] });
    }
    // Each row's key and its place, so a key in two rows is refused on the second row's key.
    markSourceKeys(fields, keys);
    if (keys.length) design.fields = fields;
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

const quietHour = z
  .number({ error: "pushEvents.errors.hour" })
  .int({ error: "pushEvents.errors.hour" })
  .min(0, { error: "pushEvents.errors.hour" })
  .max(23, { error: "pushEvents.errors.hour" });

/**
 * A pair of quiet hours (the merchant's, a rule's, an API body): both given or neither, both empty or
 * both hours, and the end not the start (that would be no quiet hours at all).
 */
function checkQuietPair(v: { quietFrom?: number | null; quietTo?: number | null }, ctx: z.RefinementCtx) {
  const { quietFrom: from, quietTo: to } = v;
  if ((from === undefined) !== (to === undefined) || (from === null) !== (to === null))
    ctx.addIssue({ code: "custom", path: ["quietTo"], message: "pushEvents.errors.quietBoth" });
  else if (typeof from === "number" && from === to) ctx.addIssue({ code: "custom", path: ["quietTo"], message: "pushEvents.errors.quietSame" });
}

/** Quiet hours: both empty (none) or both hours 0–23, different. */
export const quietHoursSchema = z
  .object({
    quietFrom: z.preprocess(intOf, quietHour.optional()),
    quietTo: z.preprocess(intOf, quietHour.optional()),
  })
  .superRefine(checkQuietPair);

/** The form's audience and message, for the cost of SMS news before sending. */
export const smsEstimateFormSchema = z.preprocess(
  (raw) => {
    const read = readPushEventForm(raw, () => null);
    return { audience: read.audience, message: read.message };
  },
  z.object({ audience: pushAudienceSchema, message: multilineText(500).min(1, { error: "pushEvents.errors.message" }) }),
);

/** The promotion form's strip image upload (the form then sends the stored file's id). */
export const promotionStripUploadSchema = z.object({
  file: z.instanceof(File, { error: "validation.fileRequired" }).refine((f) => f.size > 0, { error: "validation.fileRequired" }),
});

const TRIGGER_KINDS = ["birthday", "inactive", "points_expiring", "welcome", "level_reached"] as const;
const triggerKind = z.enum(TRIGGER_KINDS, { error: "pushEvents.errors.kind" }).meta({
  description:
    "`birthday` on the holder's birthday at `hour`; `inactive` after `days` days without a purchase; `points_expiring` when points expire within `days` days; `welcome` after the card is added to a wallet; `level_reached` when the card reaches a cumulative-discount level.",
});
const triggerChannel = z.enum(["push", "sms"], { error: "pushEvents.errors.channel" }).meta({
  description: "`push`: the card's wallets (its news field); `sms`: the holder's phone, only with marketing consent.",
});
const triggerMessage = multilineText(500).min(1, { error: "pushEvents.errors.message" });
const triggerDays = z
  .number({ error: "pushEvents.errors.days" })
  .int({ error: "pushEvents.errors.days" })
  .min(0, { error: "pushEvents.errors.days" })
  .max(3650, { error: "pushEvents.errors.days" });
const triggerHour = z
  .number({ error: "pushEvents.errors.hour" })
  .int({ error: "pushEvents.errors.hour" })
  .min(0, { error: "pushEvents.errors.hour" })
  .max(23, { error: "pushEvents.errors.hour" });
const triggerLimit = z
  .number({ error: "pushEvents.errors.limit" })
  .int({ error: "pushEvents.errors.limit" })
  .min(1, { error: "pushEvents.errors.limit" })
  .max(100, { error: "pushEvents.errors.limit" });

/** A rule's quiet hour in the form: empty reads as null (the merchant's quiet hours apply). */
const formQuietHour = z.preprocess((v) => intOf(v) ?? null, quietHour.nullable());

const triggerRuleFields = z.object({
  kind: triggerKind,
  channel: triggerChannel.default("push"),
  message: triggerMessage,
  days: z.preprocess(intOf, triggerDays.default(0)),
  hour: z.preprocess(intOf, triggerHour.default(10)),
  limitPerCard: z.preprocess(intOf, triggerLimit.default(1)),
  quietFrom: formQuietHour,
  quietTo: formQuietHour,
});

/** A triggered message rule, from the cabinet's form. */
export const triggerRuleSchema = triggerRuleFields.superRefine(checkQuietPair);

/** The cabinet's edit form of a rule: the same fields, its id, and whether it is on (an unticked box sends nothing). */
export const triggerRuleEditSchema = triggerRuleFields
  .extend({
    id: z.uuid({ error: "validation.invalid" }),
    enabled: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  })
  .superRefine(checkQuietPair);

const apiQuietHour = (end: "start" | "end") =>
  quietHour.nullable().meta({
    description: `The hour (0–23, the merchant's time zone) this rule's own quiet hours ${end} (${end === "start" ? "inclusive" : "exclusive"}; they may wrap midnight, 22 → 8). Messages due inside them wait until they end. Give both or neither; \`null\` for both: the merchant's quiet hours apply.`,
  });

/** POST /api/v1/trigger-rules: JSON numbers and booleans. */
export const triggerRuleCreateSchema = z
  .object({
    kind: triggerKind,
    channel: triggerChannel.default("push"),
    // Left out reads as empty, so it is refused with the same words as an empty one.
    message: z.preprocess((v) => v ?? "", triggerMessage).meta({ description: "The push or SMS text (an SMS gets a stop link added)." }),
    days: triggerDays.default(0).meta({ description: "N for `inactive` and `points_expiring`." }),
    hour: triggerHour.default(10).meta({ description: "The hour (0–23, the merchant's time zone) a birthday message goes at." }),
    limitPerCard: triggerLimit.default(1).meta({ description: "How many times one card may get it in 30 days." }),
    quietFrom: apiQuietHour("start").default(null),
    quietTo: apiQuietHour("end").default(null),
    enabled: z.boolean({ error: "pushEvents.errors.enabled" }).default(true),
  })
  .superRefine(checkQuietPair);

/** PATCH /api/v1/trigger-rules/{id}: only the fields sent change. */
export const triggerRulePatchSchema = z
  .object({
    kind: triggerKind.optional(),
    channel: triggerChannel.optional(),
    message: triggerMessage.optional(),
    days: triggerDays.optional(),
    hour: triggerHour.optional(),
    limitPerCard: triggerLimit.optional(),
    quietFrom: apiQuietHour("start").optional(),
    quietTo: apiQuietHour("end").optional(),
    enabled: z.boolean({ error: "pushEvents.errors.enabled" }).optional(),
  })
  .superRefine(checkQuietPair);
