import { z } from "zod";
import { CONTROL_CHARS_ERROR, hasControlChars, multilineText, text as singleLine } from "@/lib/validations/common";

/**
 * A template's design, as saved in each version: shared by the editor (client), the server actions
 * and the pass builders. Texts carry English and Russian; Russian falls back to English when empty.
 */
export const TEMPLATE_KINDS = ["loyalty", "stamp", "gift", "coupon", "membership", "generic"] as const;
export type Kind = (typeof TEMPLATE_KINDS)[number];

/**
 * Where a field's value comes from. `level` (the card's cumulative-discount level), `nextLevelIn` (money
 * still to spend to the next level), `stamps` (a stamp card's stamps in the row towards the next
 * reward) and `rewards` (its rewards ready to take) are the loyalty programme's card values
 * (lib/ledger/levels, lib/ledger/stamps).
 */
export const FIELD_SOURCES = [
  "static",
  "cardNumber",
  "holderName",
  "balance",
  "discount",
  "expiryDate",
  "custom",
  "level",
  "nextLevelIn",
  "stamps",
  "rewards",
] as const;
export const FIELD_POSITIONS = ["header", "primary", "secondary", "auxiliary", "back"] as const;
export type FieldPosition = (typeof FIELD_POSITIONS)[number];

export const BARCODE_FORMATS = ["qr", "pdf417", "aztec", "code128", "code39", "codabar", "ean13", "itf"] as const;
export type BarcodeFormat = (typeof BARCODE_FORMATS)[number];

export const MAX_LOCATIONS = 10;

/** A stamp card's goal (how many stamps earn the reward): the card shows a row of that many. */
export const DEFAULT_STAMP_GOAL = 10;
export const MAX_STAMP_GOAL = 20;

/** How many fields Apple Wallet shows in each position. */
export const FIELD_LIMITS: Record<FieldPosition, number> = { header: 3, primary: 1, secondary: 4, auxiliary: 4, back: 20 };

/** Apple pass style and Google Wallet type of each kind. */
export const KIND_MAPPING: Record<Kind, { apple: "storeCard" | "coupon" | "generic"; google: "loyalty" | "giftCard" | "offer" | "generic" }> = {
  loyalty: { apple: "storeCard", google: "loyalty" },
  stamp: { apple: "storeCard", google: "loyalty" },
  gift: { apple: "storeCard", google: "giftCard" },
  coupon: { apple: "coupon", google: "offer" },
  membership: { apple: "generic", google: "generic" },
  generic: { apple: "generic", google: "generic" },
};

const APPLE_FORMAT: Record<BarcodeFormat, string> = {
  qr: "PKBarcodeFormatQR",
  pdf417: "PKBarcodeFormatPDF417",
  aztec: "PKBarcodeFormatAztec",
  code128: "PKBarcodeFormatCode128",
  code39: "PKBarcodeFormatCode39",
  codabar: "PKBarcodeFormatCodabar",
  ean13: "PKBarcodeFormatEAN13",
  itf: "PKBarcodeFormatI2of5",
};

export const GOOGLE_BARCODE: Record<BarcodeFormat, string> = {
  qr: "QR_CODE",
  pdf417: "PDF_417",
  aztec: "AZTEC",
  code128: "CODE_128",
  code39: "CODE_39",
  codabar: "CODABAR",
  ean13: "EAN_13",
  itf: "ITF_14",
};

/** Formats older iPhones understand; the newer (all linear) ones get a Code 128 after them as a fallback. */
const CLASSIC: BarcodeFormat[] = ["qr", "pdf417", "aztec", "code128"];

export function barcodeFallback(format: BarcodeFormat): BarcodeFormat | null {
  return CLASSIC.includes(format) ? null : "code128";
}

/** The Apple barcode list for a chosen format: Apple shows the first barcode the iPhone can read. */
export function appleBarcodeFormats(format: BarcodeFormat): string[] {
  const fallback = barcodeFallback(format);
  return fallback ? [APPLE_FORMAT[format], APPLE_FORMAT[fallback]] : [APPLE_FORMAT[format]];
}

/** A value the format can carry, for previews and sample passes (EAN-13 and ITF take digits only). */
export function sampleBarcodeValue(format: BarcodeFormat, preferred: string): string {
  if (format === "ean13") return "4006381333931";
  if (format === "itf") return "00012345600012";
  return preferred;
}

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: "templates.errors.color" });
/** English and Russian text; only back-side texts (terms, contacts, a field's own value) may run over several lines. */
const localized = (max: number, { multiline = false } = {}) => {
  const one = () => (multiline ? multilineText(max) : singleLine(max));
  return z.object({ en: one(), ru: one() });
};
const requiredLocalized = (max: number) => localized(max).refine((v) => v.en !== "" || v.ru !== "", { error: "validation.required", path: ["en"] });

export const fieldSchema = z
  .object({
    // `cd_` is kept for the keys CardDesk adds itself (terms, contacts, links, description).
    key: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,29}$/, { error: "templates.errors.fieldKey" })
      .refine((k) => !k.toLowerCase().startsWith("cd_"), { error: "templates.errors.fieldKeyReserved" }),
    label: localized(40),
    source: z.enum(FIELD_SOURCES),
    value: localized(300, { multiline: true }),
    customKey: singleLine(40),
    changeMessage: localized(120),
  })
  .superRefine((f, ctx) => {
    for (const lang of ["en", "ru"] as const) {
      const message = f.changeMessage[lang];
      if (message && !message.includes("%@")) ctx.addIssue({ code: "custom", message: "templates.errors.changeMessage", path: ["changeMessage", lang] });
    }
    if (f.source === "custom" && !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(f.customKey)) {
      ctx.addIssue({ code: "custom", message: "templates.errors.customKey", path: ["customKey"] });
    }
    if (f.source === "static" && !f.value.en && !f.value.ru) ctx.addIssue({ code: "custom", message: "validation.required", path: ["value", "en"] });
  });

export type TemplateField = z.infer<typeof fieldSchema>;

const fieldsSchema = z.object(
  Object.fromEntries(FIELD_POSITIONS.map((p) => [p, z.array(fieldSchema).max(FIELD_LIMITS[p], { error: "templates.errors.tooManyFields" })])) as Record<
    FieldPosition,
    z.ZodArray<typeof fieldSchema>
  >,
);

/**
 * How card numbers are made: prefix + random digits (+ a check digit). The number is what the
 * barcode carries by default, so it must fit the chosen barcode format (see numberingProblem).
 */
export const numberingSchema = z.object({
  prefix: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{0,10}$/, { error: "templates.errors.numberPrefix" }),
  digits: z.number().int().min(4, { error: "templates.errors.numberDigits" }).max(20, { error: "templates.errors.numberDigits" }),
  checkDigit: z.boolean(),
});
export type Numbering = z.infer<typeof numberingSchema>;

export const DEFAULT_NUMBERING: Numbering = { prefix: "", digits: 12, checkDigit: true };

/** Characters each linear format can carry; QR, PDF417, Aztec and Code 128 take any of ours. */
const BARCODE_CHARSET: Partial<Record<BarcodeFormat, RegExp>> = {
  ean13: /^\d{13}$/,
  itf: /^(\d\d)+$/,
  codabar: /^[0-9\-$:/.+]+$/,
  code39: /^[0-9A-Z\-. $/+%]+$/,
};

/** Whether a card number can be drawn in the barcode format; null when it can. */
export function barcodeRefusal(format: BarcodeFormat, value: string): string | null {
  const rule = BARCODE_CHARSET[format];
  if (!rule || rule.test(value)) return null;
  return `templates.errors.barcodeValue.${format}`;
}

/** A numbering whose numbers the barcode could not carry: refused when the template is saved. */
export function numberingProblem(numbering: Numbering, barcode: { format: BarcodeFormat; source: "cardNumber" | "serialNumber" }): string | null {
  if (barcode.source !== "cardNumber") return null;
  // Scanners refuse an EAN-13 whose last digit is not its check digit.
  if (barcode.format === "ean13" && !numbering.checkDigit) return "templates.errors.barcodeValue.ean13";
  const example = numbering.prefix + "0".repeat(numbering.digits) + (numbering.checkDigit ? "0" : "");
  return barcodeRefusal(barcode.format, example);
}

const percent = (error: string) => z.number({ error }).int({ error }).min(0, { error }).max(100, { error });
const count = (error: string, max: number) => z.number({ error }).int({ error }).min(0, { error }).max(max, { error });

/**
 * When earned points expire (lib/ledger keeps each earning as a lot with its own date): never, `days`
 * after they were earned, or at the end of the calendar year they were earned in (the merchant's time
 * zone). Changing it applies to points earned from then on; lots already earned keep their date.
 */
export const POINTS_EXPIRY_KINDS = ["never", "days", "yearEnd"] as const;
export const MAX_EXPIRY_DAYS = 3650;
export const pointsExpirySchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("never") }),
    z.object({
      kind: z.literal("days"),
      days: z
        .number({ error: "templates.errors.expiryDays" })
        .int({ error: "templates.errors.expiryDays" })
        .min(1, { error: "templates.errors.expiryDays" })
        .max(MAX_EXPIRY_DAYS, { error: "templates.errors.expiryDays" }),
    }),
    z.object({ kind: z.literal("yearEnd") }),
  ],
  { error: "templates.errors.expiryKind" },
);
export type PointsExpiry = z.infer<typeof pointsExpirySchema>;

/** Money (minor units) a level's threshold may name: as much as one receipt may hold. */
export const LEVEL_TOTAL_MAX = 2_000_000_000;
export const MAX_LEVELS = 10;

/**
 * The points part every loyalty programme has (lib/ledger applies it): earn `earnPercent` of the part
 * of a purchase paid with money, as points worth `pointValue` minor units each; pay at most
 * `maxSharePercent` of a receipt with points, and only once the balance reaches `minBalanceToRedeem`;
 * `welcomeBonus` points on issue; earned points expire as `expiry` says (left out: never). A programme
 * that gives no points sets `earnPercent` and `welcomeBonus` to 0.
 */
const pointsRules = {
  earnPercent: percent("templates.errors.earnPercent"),
  /** Minor units of money one point pays for (100 = one point is one rouble). */
  pointValue: z
    .number({ error: "templates.errors.pointValue" })
    .int({ error: "templates.errors.pointValue" })
    .min(1, { error: "templates.errors.pointValue" })
    .max(1_000_000, { error: "templates.errors.pointValue" }),
  maxSharePercent: percent("templates.errors.maxSharePercent"),
  minBalanceToRedeem: count("templates.errors.minBalanceToRedeem", 100_000_000),
  welcomeBonus: count("templates.errors.welcomeBonus", 100_000_000),
  expiry: pointsExpirySchema.optional(),
  /**
   * "Confirm redemptions by a code" (lib/till): `off`, `on` (any spending), `above` (spending more than
   * `above` points). Left out: off.
   */
  confirm: z
    .object({
      mode: z.enum(["off", "on", "above"], { error: "templates.errors.confirmMode" }),
      above: count("templates.errors.confirmAbove", 100_000_000),
    })
    .optional(),
};

/** `points`: points only; the card's discount is whatever staff set on it. */
export const pointsProgramSchema = z.object({ type: z.literal("points"), ...pointsRules });
export type PointsProgram = z.infer<typeof pointsProgramSchema>;

/** `discount`: every card of the template has the one fixed discount (and earns points if `earnPercent` > 0). */
export const discountProgramSchema = z.object({ type: z.literal("discount"), ...pointsRules, discountPercent: percent("templates.errors.discountPercent") });
export type DiscountProgram = z.infer<typeof discountProgramSchema>;

/**
 * One level of a cumulative discount: from `minTotal` (minor units) of purchases in all, the card has
 * `discountPercent` and, when set, earns `earnPercent` instead of the programme's rate.
 */
export const levelSchema = z.object({
  name: z
    .string({ error: "templates.errors.levelName" })
    .trim()
    .min(1, { error: "templates.errors.levelName" })
    .max(40, { error: "templates.errors.levelName" })
    .refine((v) => !hasControlChars(v), { error: CONTROL_CHARS_ERROR }),
  minTotal: count("templates.errors.levelThreshold", LEVEL_TOTAL_MAX),
  discountPercent: percent("templates.errors.discountPercent"),
  earnPercent: percent("templates.errors.earnPercent").optional(),
});
export type Level = z.infer<typeof levelSchema>;

/**
 * `cumulative`: levels by the card's total of purchases (refunds lower it). The first level starts
 * at 0 (every card has a level), each next one needs a larger total and gives no smaller discount.
 */
export const cumulativeProgramSchema = z
  .object({
    type: z.literal("cumulative"),
    ...pointsRules,
    levels: z.array(levelSchema).min(1, { error: "templates.errors.levelsRequired" }).max(MAX_LEVELS, { error: "templates.errors.tooManyLevels" }),
  })
  .superRefine((p, ctx) => {
    if (p.levels.length && p.levels[0].minTotal !== 0)
      ctx.addIssue({ code: "custom", message: "templates.errors.levelsFirstZero", path: ["levels", 0, "minTotal"] });
    for (let i = 1; i < p.levels.length; i++) {
      if (p.levels[i].minTotal <= p.levels[i - 1].minTotal)
        ctx.addIssue({ code: "custom", message: "templates.errors.levelsRise", path: ["levels", i, "minTotal"] });
      if (p.levels[i].discountPercent < p.levels[i - 1].discountPercent)
        ctx.addIssue({ code: "custom", message: "templates.errors.levelDiscountFalls", path: ["levels", i, "discountPercent"] });
    }
  });
export type CumulativeProgram = z.infer<typeof cumulativeProgramSchema>;

/** The programme a loyalty template runs, by `type` (the Loyalty tab chooses it). */
export const loyaltyProgramSchema = z.discriminatedUnion("type", [pointsProgramSchema, discountProgramSchema, cumulativeProgramSchema], {
  error: "templates.errors.programType",
});
export type LoyaltyProgram = z.infer<typeof loyaltyProgramSchema>;
export const PROGRAM_TYPES = ["points", "discount", "cumulative"] as const satisfies readonly LoyaltyProgram["type"][];

export const DEFAULT_POINTS_PROGRAM: PointsProgram = {
  type: "points",
  earnPercent: 5,
  pointValue: 100,
  maxSharePercent: 100,
  minBalanceToRedeem: 0,
  welcomeBonus: 0,
};

/** Starting points for the Loyalty tab when the merchant switches type. */
export const DEFAULT_DISCOUNT_PROGRAM: DiscountProgram = { ...DEFAULT_POINTS_PROGRAM, type: "discount", earnPercent: 0, discountPercent: 5 };
export const DEFAULT_CUMULATIVE_PROGRAM: CumulativeProgram = {
  ...DEFAULT_POINTS_PROGRAM,
  type: "cumulative",
  earnPercent: 0,
  levels: [
    { name: "Base", minTotal: 0, discountPercent: 3 },
    { name: "Silver", minTotal: 1_000_000, discountPercent: 5 },
    { name: "Gold", minTotal: 5_000_000, discountPercent: 10 },
  ],
};

/**
 * A stamp template's programme (the Loyalty tab of a stamp template; lib/ledger/stamps applies it): a
 * stamp per visit (every `purchase` at the till), or per purchase of at least `minAmount` (minor
 * units); `goal` stamps make a reward. Optional parts: designs saved before they existed give a stamp
 * per visit.
 */
export const STAMP_EARN_KINDS = ["visit", "purchase"] as const;
export const stampsSchema = z
  .object({
    goal: z
      .number({ error: "templates.errors.stampGoal" })
      .int({ error: "templates.errors.stampGoal" })
      .min(1, { error: "templates.errors.stampGoal" })
      .max(MAX_STAMP_GOAL, { error: "templates.errors.stampGoal" }),
    per: z.enum(STAMP_EARN_KINDS, { error: "templates.errors.stampsPer" }).optional(),
    minAmount: z
      .number({ error: "templates.errors.stampsMinAmount" })
      .int({ error: "templates.errors.stampsMinAmount" })
      .min(1, { error: "templates.errors.stampsMinAmount" })
      .max(LEVEL_TOTAL_MAX, { error: "templates.errors.stampsMinAmount" })
      .optional(),
  })
  .superRefine((s, ctx) => {
    if (s.per === "purchase" && s.minAmount === undefined) ctx.addIssue({ code: "custom", message: "templates.errors.stampsMinAmount", path: ["minAmount"] });
  });
export type StampsSettings = z.infer<typeof stampsSchema>;

/** A stamp card's programme as the ledger applies it. */
export type StampProgram = { goal: number; per: (typeof STAMP_EARN_KINDS)[number]; minAmount: number };

export const templateDefinitionSchema = z
  .object({
    description: requiredLocalized(100),
    design: z.object({
      backgroundColor: hex,
      foregroundColor: hex,
      labelColor: hex,
      logoText: localized(30),
      logoFileId: z.uuid().nullable(),
      iconFileId: z.uuid().nullable(),
      stripFileId: z.uuid().nullable(),
    }),
    fields: fieldsSchema,
    barcode: z.object({
      format: z.enum(BARCODE_FORMATS),
      source: z.enum(["cardNumber", "serialNumber"]),
      altText: z.enum(["none", "value"]),
    }),
    back: z.object({
      terms: localized(2000, { multiline: true }),
      contacts: localized(500, { multiline: true }),
      /** The label of the back-side news field that push notifications write into (lib/passes/apple/pass-json); blank: "News". */
      newsLabel: localized(40).optional(),
      links: z
        .array(
          z.object({
            label: requiredLocalized(60),
            url: z.url({ protocol: /^https?$/, error: "templates.errors.url" }).refine((u) => !hasControlChars(u), { error: CONTROL_CHARS_ERROR }),
          }),
        )
        .max(5, { error: "templates.errors.tooManyLinks" }),
    }),
    locations: z.array(z.object({ locationId: z.uuid(), relevantText: localized(120) })).max(MAX_LOCATIONS, { error: "templates.errors.tooManyLocations" }),
    numbering: numberingSchema,
    /** "Rotating QR" against copying (lib/till/qr): the customer's page shows a signed QR good for a day and the day after. */
    rotatingQr: z.boolean().optional(),
    // Optional: designs saved before stamp goals existed read as DEFAULT_STAMP_GOAL (see stampGoal).
    stamps: stampsSchema.optional(),
    // Optional: designs saved before programmes existed run the default points programme (see programOf).
    program: loyaltyProgramSchema.optional(),
    expiry: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("none") }),
      z.object({ mode: z.literal("fixed"), date: z.iso.date({ error: "templates.errors.date" }) }),
      z.object({
        mode: z.literal("afterIssue"),
        days: z.number().int().min(1, { error: "templates.errors.days" }).max(3650, { error: "templates.errors.days" }),
      }),
    ]),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    for (const position of FIELD_POSITIONS) {
      d.fields[position].forEach((f, i) => {
        if (seen.has(f.key)) ctx.addIssue({ code: "custom", message: "templates.errors.duplicateKey", path: ["fields", position, i, "key"] });
        seen.add(f.key);
      });
    }
    const numbering = numberingProblem(d.numbering, d.barcode);
    if (numbering) ctx.addIssue({ code: "custom", message: numbering, path: ["numbering", "digits"] });
    const places = new Set<string>();
    d.locations.forEach((l, i) => {
      if (places.has(l.locationId)) ctx.addIssue({ code: "custom", message: "templates.errors.duplicateLocation", path: ["locations", i, "locationId"] });
      places.add(l.locationId);
    });
  });

export type TemplateDefinition = z.infer<typeof templateDefinitionSchema>;

const text = (en: string, ru: string) => ({ en, ru });
const empty = text("", "");

export function newField(key: string, source: TemplateField["source"], label: { en: string; ru: string }, value = empty): TemplateField {
  return { key, label, source, value, customKey: "", changeMessage: empty };
}

/** A sensible starting design for each kind, so a new template previews well before any edit. */
export function defaultDefinition(kind: Kind, merchantName: string): TemplateDefinition {
  const primary: Record<Kind, TemplateField> = {
    loyalty: { ...newField("points", "balance", text("Points", "Баллы")), changeMessage: text("You now have %@ points", "Теперь у вас %@ баллов") },
    stamp: { ...newField("stamps", "stamps", text("Stamps", "Штампы")), changeMessage: text("Stamps: %@", "Штампов: %@") },
    gift: { ...newField("balance", "balance", text("Balance", "Баланс")), changeMessage: text("Balance: %@", "Баланс: %@") },
    coupon: newField("offer", "discount", text("Discount", "Скидка")),
    membership: newField("member", "holderName", text("Member", "Участник")),
    generic: newField("holder", "holderName", text("Name", "Имя")),
  };
  const colors: Record<Kind, [string, string, string]> = {
    loyalty: ["#4f46e5", "#ffffff", "#c7d2fe"],
    stamp: ["#b45309", "#ffffff", "#fde68a"],
    gift: ["#be123c", "#ffffff", "#fecdd3"],
    coupon: ["#047857", "#ffffff", "#a7f3d0"],
    membership: ["#1e293b", "#ffffff", "#94a3b8"],
    generic: ["#0f766e", "#ffffff", "#99f6e4"],
  };
  const [backgroundColor, foregroundColor, labelColor] = colors[kind];
  return {
    description: text(`${merchantName} card`, `Карта ${merchantName}`),
    design: { backgroundColor, foregroundColor, labelColor, logoText: text(merchantName, merchantName), logoFileId: null, iconFileId: null, stripFileId: null },
    fields: {
      header: kind === "coupon" ? [] : [newField("number", "cardNumber", text("Card", "Карта"))],
      primary: [primary[kind]],
      secondary: [newField("name", "holderName", text("Holder", "Владелец"))],
      auxiliary:
        kind === "gift" || kind === "coupon"
          ? [newField("expires", "expiryDate", text("Valid until", "Действует до"))]
          : kind === "stamp"
            ? [{ ...newField("rewards", "rewards", text("Rewards", "Награды")), changeMessage: text("Rewards ready: %@", "Наград к получению: %@") }]
            : [],
      back: [],
    },
    barcode: { format: "qr", source: "cardNumber", altText: "value" },
    back: { terms: empty, contacts: empty, links: [] },
    locations: [],
    numbering: DEFAULT_NUMBERING,
    ...(kind === "stamp" ? { stamps: { goal: DEFAULT_STAMP_GOAL } } : {}),
    expiry: kind === "gift" || kind === "coupon" ? { mode: "afterIssue", days: 365 } : { mode: "none" },
  };
}

/** How many stamps a stamp card collects towards its reward. */
export function stampGoal(definition: Pick<TemplateDefinition, "stamps">): number {
  return definition.stamps?.goal ?? DEFAULT_STAMP_GOAL;
}

/** The stamp programme a stamp template runs (a stamp per visit unless it says otherwise); other kinds none. */
export function stampProgramOf(kind: Kind, definition: Pick<TemplateDefinition, "stamps">): StampProgram | null {
  if (kind !== "stamp") return null;
  const per = definition.stamps?.per ?? "visit";
  return { goal: stampGoal(definition), per, minAmount: per === "purchase" ? (definition.stamps?.minAmount ?? 0) : 0 };
}

/** The points programme a template runs: loyalty templates run one (the default unless set), other kinds none yet. */
export function programOf(kind: Kind, definition: Pick<TemplateDefinition, "program">): LoyaltyProgram | null {
  if (kind !== "loyalty") return null;
  return definition.program ?? DEFAULT_POINTS_PROGRAM;
}

/** When a programme's points expire (never unless it says). */
export function expiryOf(program: Pick<PointsProgram, "expiry"> | null): PointsExpiry {
  return program?.expiry ?? { kind: "never" };
}

/** The text in one language, falling back to English. */
export function pick(value: { en: string; ru: string }, locale: string): string {
  return (locale === "ru" ? value.ru || value.en : value.en || value.ru) ?? "";
}
