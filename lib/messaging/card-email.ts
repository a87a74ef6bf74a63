import { pick, type TemplateDefinition } from "@/lib/templates/definition";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const TEXT = {
  en: {
    subject: "{merchant}: your card",
    hello: "Hello{name}!",
    intro: "Here is your {merchant} card. Add it to your phone's wallet: it updates by itself.",
    apple: "Add to Apple Wallet",
    google: "Save to Google Wallet",
    open: "Open the card",
    number: "Card",
  },
  ru: {
    subject: "{merchant}: ваша карта",
    hello: "Здравствуйте{name}!",
    intro: "Ваша карта {merchant}. Добавьте её в кошелёк телефона — она будет обновляться сама.",
    apple: "Добавить в Apple Wallet",
    google: "Сохранить в Google Кошелёк",
    open: "Открыть карту",
    number: "Карта",
  },
} as const;

export type CardEmailInput = {
  locale: string;
  merchantName: string;
  logoUrl: string | null;
  holderName: string;
  number: string;
  definition: TemplateDefinition;
  links: { pass: string; google: string; page: string };
};

/**
 * The e-mail that carries a card: the merchant's logo, the card in its colours with its number, and both
 * wallet buttons. Inline styles and tables only, as mail clients need; plain text alongside.
 */
export function renderCardEmail(input: CardEmailInput): { subject: string; text: string; html: string } {
  const t = TEXT[input.locale === "en" ? "en" : "ru"];
  const fill = (s: string) => s.replace("{merchant}", input.merchantName).replace("{name}", input.holderName ? `, ${input.holderName}` : "");
  const d = input.definition.design;
  const title = pick(input.definition.description, input.locale);
  const button = (href: string, label: string, dark: boolean) =>
    `<a href="${esc(href)}" style="display:block;margin:8px 0;padding:14px 18px;border-radius:12px;text-align:center;font:600 15px system-ui,sans-serif;text-decoration:none;${dark ? "background:#000;color:#fff" : "background:#fff;color:#111;border:1px solid #cbd5e1"}">${esc(label)}</a>`;
  const html = `<!doctype html><html><body style="margin:0;background:#f1f5f9;padding:24px 12px;font-family:system-ui,sans-serif;color:#0f172a">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:440px;background:#fff;border-radius:16px;padding:24px">
<tr><td>${input.logoUrl ? `<img src="${esc(input.logoUrl)}" alt="${esc(input.merchantName)}" height="48" style="display:block;margin:0 auto 16px;max-height:48px">` : ""}
<p style="font-size:18px;font-weight:600;margin:0 0 8px">${esc(fill(t.hello))}</p>
<p style="font-size:15px;line-height:1.5;margin:0 0 20px">${esc(fill(t.intro))}</p>
<div style="background:${esc(d.backgroundColor)};color:${esc(d.foregroundColor)};border-radius:16px;padding:20px;margin-bottom:20px">
<p style="margin:0;font-size:15px;font-weight:600">${esc(pick(d.logoText, input.locale) || input.merchantName)}</p>
<p style="margin:16px 0 4px;font-size:11px;letter-spacing:.05em;text-transform:uppercase;color:${esc(d.labelColor)}">${esc(t.number)}</p>
<p style="margin:0;font-size:22px;font-family:ui-monospace,monospace">${esc(input.number)}</p>
${title ? `<p style="margin:12px 0 0;font-size:13px">${esc(title)}</p>` : ""}
</div>
${button(input.links.pass, t.apple, true)}${button(input.links.google, t.google, false)}
<p style="text-align:center;margin:16px 0 0"><a href="${esc(input.links.page)}" style="color:#4f46e5;font-size:14px">${esc(t.open)}</a></p>
</td></tr></table></td></tr></table></body></html>`;
  const text = [
    fill(t.hello),
    "",
    fill(t.intro),
    "",
    `${t.number}: ${input.number}`,
    "",
    `${t.apple}: ${input.links.pass}`,
    `${t.google}: ${input.links.google}`,
    `${t.open}: ${input.links.page}`,
  ].join("\n");
  return { subject: fill(t.subject), text, html };
}
