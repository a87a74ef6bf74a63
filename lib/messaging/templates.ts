/** Placeholders an SMS template may use; {code} is required in code messages, {link} in card messages. */
export const SMS_PLACEHOLDERS = ["{code}", "{link}", "{merchant}"] as const;

/** What a merchant's SMS say until it writes its own (in the language its customers read). */
export const DEFAULT_SMS = {
  code: { ru: "{code} — код для входа в {merchant}. Никому его не сообщайте.", en: "{code} is your {merchant} sign-in code. Do not share it." },
  link: { ru: "{merchant}: ваша карта {link}", en: "{merchant}: your card {link}" },
} as const;

export type SmsTemplateKind = keyof typeof DEFAULT_SMS;

/** Fills placeholders; unknown ones stay as they are, so a typo shows up in the test SMS rather than vanishing. */
export function renderTemplate(template: string, values: Partial<Record<"code" | "link" | "merchant", string>>): string {
  return template.replace(/\{(code|link|merchant)\}/g, (whole, name: "code" | "link" | "merchant") => values[name] ?? whole);
}

/** The template a merchant's message of this kind uses: its own, else the default in the given language. */
export function smsTemplate(kind: SmsTemplateKind, own: string | null | undefined, locale: string): string {
  if (own && own.trim()) return own;
  return DEFAULT_SMS[kind][locale === "en" ? "en" : "ru"];
}

/** A template refused on save: a code message without {code}, a card message without {link}. */
export function templateProblem(kind: SmsTemplateKind, template: string): string | null {
  if (!template.trim()) return null;
  if (kind === "code" && !template.includes("{code}")) return "messaging.errors.codeMissing";
  if (kind === "link" && !template.includes("{link}")) return "messaging.errors.linkMissing";
  return null;
}
