/** Placeholders an SMS template may use; {code} is required in code messages, {link} in card messages. */
export const SMS_PLACEHOLDERS = ["{code}", "{link}", "{merchant}"] as const;

/** What a merchant's SMS say until it writes its own (in the language its customers read). */
export const DEFAULT_SMS = {
  code: { ru: "{code} — код для входа в {merchant}. Никому его не сообщайте.", en: "{code} is your {merchant} sign-in code. Do not share it." },
  link: { ru: "{merchant}: ваша карта {link}", en: "{merchant}: your card {link}" },
} as const;

export type SmsTemplateKind = keyof typeof DEFAULT_SMS;

type Placeholder = "code" | "link" | "merchant" | "amount";

/** Fills placeholders; unknown ones stay as they are, so a typo shows up in the test SMS rather than vanishing. */
export function renderTemplate(template: string, values: Partial<Record<Placeholder, string>>): string {
  return template.replace(/\{(code|link|merchant|amount)\}/g, (whole, name: Placeholder) => values[name] ?? whole);
}

/** The till's confirmation code (lib/till/confirm) says what it lets the cashier spend. */
const DEFAULT_SPEND_SMS = {
  ru: "{code} — код для списания {amount} в {merchant}. Никому его не сообщайте.",
  en: "{code} confirms spending {amount} at {merchant}. Do not share it.",
} as const;
const SPEND_NOTE = { ru: "Списание: {amount}.", en: "Spending: {amount}." } as const;

/**
 * The text of a till's confirmation code: the merchant's own code template when it has one (with the
 * amount added after it unless it places `{amount}` itself), else ours. A customer reading only
 * "your code is 123456" cannot tell a cashier spending 5,000 points from one spending 50.
 */
export function spendCodeTemplate(own: string | null | undefined, locale: string): string {
  const lang = locale === "en" ? "en" : "ru";
  if (!own || !own.trim()) return DEFAULT_SPEND_SMS[lang];
  return own.includes("{amount}") ? own : `${own.trimEnd()} ${SPEND_NOTE[lang]}`;
}

/** The template a merchant's message of this kind uses: its own, else the default in the given language. */
export function smsTemplate(kind: SmsTemplateKind, own: string | null | undefined, locale: string): string {
  const fallback = DEFAULT_SMS[kind][locale === "en" ? "en" : "ru"];
  if (!own || !own.trim()) return fallback;
  if (!own.includes("{amount}")) return own;
  // A code template written with the till's spending in mind ("… Списание: {amount}.") also signs
  // customers in, where nothing is spent: the sentences naming an amount are left out there.
  const kept = own
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !sentence.includes("{amount}"))
    .join(" ");
  return kind === "code" && !kept.includes("{code}") ? fallback : kept;
}

/** A template refused on save: a code message without {code}, a card message without {link}. */
export function templateProblem(kind: SmsTemplateKind, template: string): string | null {
  if (!template.trim()) return null;
  if (kind === "code" && !template.includes("{code}")) return "messaging.errors.codeMissing";
  if (kind === "link" && !template.includes("{link}")) return "messaging.errors.linkMissing";
  return null;
}
