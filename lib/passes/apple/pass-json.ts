import { AppError } from "@/lib/errors";
import { isMoneyKind, minorToMajor } from "@/lib/format/money";
import { tillCode } from "@/lib/templates/till-code";
import { hexToRgb } from "@/lib/files/png";
import type { GoogleRotatingBarcode } from "@/lib/till/qr";
import {
  FIELD_POSITIONS,
  KIND_MAPPING,
  MAX_LOCATIONS,
  appleBarcodeFormats,
  pick,
  type Kind,
  type TemplateDefinition,
  type TemplateField,
} from "@/lib/templates/definition";

/** A card's own values, as a pass shows them. */
export type PassCard = {
  serialNumber: string;
  authenticationToken: string;
  number: string;
  holderName: string;
  balance: number | null;
  discount: number | null;
  expiresAt: Date | null;
  custom: Record<string, string>;
  voided: boolean;
  /** The loyalty programme's values (lib/ledger/levels): the level's name and the money (minor units) to the next one; stamps collected. */
  level?: string | null;
  nextLevelIn?: number | null;
  stamps?: number | null;
  /** A stamp card's rewards ready to take (lib/ledger/stamps). */
  rewards?: number | null;
  /** The last push notification (lib/push-events): the back side's news field, whose change Wallet announces. */
  news?: string | null;
  /**
   * What the barcode carries when it is not the till code of the template: a rotating-QR template's
   * payload of the day (lib/till/qr), set on the server (lib/wallet/pass toPassCard). Always a QR.
   */
  rotatingCode?: string | null;
  /**
   * A rotating-QR template's Google barcode (lib/till/qr googleRotatingBarcode): Google's app draws a
   * TOTP into it on the phone. Only the Google object carries it; Apple passes carry `rotatingCode`.
   */
  googleRotatingBarcode?: GoogleRotatingBarcode | null;
};

export type PassLocation = { latitude: number; longitude: number; relevantText: { en: string; ru: string } };

export type PassInput = {
  kind: Kind;
  definition: TemplateDefinition;
  card: PassCard;
  organizationName: string;
  /** ISO 4217; a gift certificate's balance (minor units) is shown as money in it. */
  currency: string;
  passTypeId: string;
  teamId: string;
  appUrl: string;
  locations: PassLocation[];
};

/** What would make Wallet refuse the pass; `detail` says which rule, for logs and tests. */
export class PassBuildError extends AppError {
  constructor(readonly detail: string) {
    super("conflict", "passes.errors.build", undefined, { detail });
    this.name = "PassBuildError";
  }
}

const LANGS = ["en", "ru"] as const;

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function rgb(hex: string): string {
  const c = /^#/.test(hex) ? hexToRgb(hex) : null;
  if (!c) throw new PassBuildError(`invalid colour ${hex}`);
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Apple requires https for updates, except a development server on localhost. */
export function webServiceUrl(appUrl: string): string {
  const url = new URL(appUrl);
  const local = url.protocol === "http:" && ["localhost", "127.0.0.1"].includes(url.hostname);
  if (url.protocol !== "https:" && !local) throw new PassBuildError(`webServiceURL must be https (APP_URL is ${appUrl})`);
  return `${appUrl.replace(/\/$/, "")}/api/wallet`;
}

function dynamicValue(
  field: TemplateField,
  card: PassCard,
  money: string | null,
  currency: string,
): { value: string | number; dateStyle?: string; currencyCode?: string } {
  switch (field.source) {
    case "cardNumber":
      return { value: card.number };
    case "holderName":
      return { value: card.holderName };
    case "balance":
      // Wallet formats a number with currencyCode in the phone's own locale; the number is the major unit.
      return money ? { value: minorToMajor(card.balance ?? 0, money), currencyCode: money } : { value: card.balance ?? 0 };
    case "discount":
      return { value: `${card.discount ?? 0}%` };
    case "expiryDate":
      return card.expiresAt ? { value: card.expiresAt.toISOString(), dateStyle: "PKDateStyleMedium" } : { value: "—" };
    case "custom":
      return { value: card.custom[field.customKey] ?? "" };
    case "level":
      return { value: card.level ?? "—" };
    case "nextLevelIn":
      // Money to spend, as Wallet formats money in the phone's locale; "—" at the top level or without levels.
      return card.nextLevelIn == null ? { value: "—" } : { value: minorToMajor(card.nextLevelIn, currency), currencyCode: currency };
    case "stamps":
      return { value: card.stamps ?? 0 };
    case "rewards":
      return { value: card.rewards ?? 0 };
    case "static":
      return { value: "" };
  }
}

/** The news field's label: the template's own in each language, or "News" in that language where it has none. */
export function newsLabel(d: Pick<TemplateDefinition, "back">): { en: string; ru: string } {
  return { en: d.back.newsLabel?.en || "News", ru: d.back.newsLabel?.ru || "Новости" };
}

/**
 * pass.json and its translations. Texts from the template are written as keys that each language's
 * pass.strings translates (Russian falls back to English); the card's own values are written as they are.
 */
export function buildPassJson(input: PassInput): { passJson: Record<string, unknown>; strings: Record<(typeof LANGS)[number], Record<string, string>> } {
  const { definition: d, card } = input;
  if (input.locations.length > MAX_LOCATIONS) throw new PassBuildError(`a pass can carry at most ${MAX_LOCATIONS} locations`);
  const strings = { en: {} as Record<string, string>, ru: {} as Record<string, string> };
  const text = (key: string, value: { en: string; ru: string }) => {
    for (const lang of LANGS) strings[lang][key] = pick(value, lang);
    return key;
  };

  const style: Record<string, unknown[]> = {};
  for (const position of FIELD_POSITIONS) {
    style[`${position}Fields`] = d.fields[position].map((f) => {
      const out: Record<string, unknown> = { key: f.key, label: text(`${f.key}.label`, f.label) };
      if (f.source === "static") out.value = text(`${f.key}.value`, f.value);
      else Object.assign(out, dynamicValue(f, card, isMoneyKind(input.kind) ? input.currency : null, input.currency));
      if (f.changeMessage.en || f.changeMessage.ru) out.changeMessage = text(`${f.key}.change`, f.changeMessage);
      return out;
    });
  }
  // The back side's terms, contacts and links follow the template's own back fields.
  const back = style.backFields;
  if (d.back.terms.en || d.back.terms.ru)
    back.push({ key: "cd_terms", label: text("cd_terms.label", { en: "Terms", ru: "Условия" }), value: text("cd_terms.value", d.back.terms) });
  if (d.back.contacts.en || d.back.contacts.ru)
    back.push({ key: "cd_contacts", label: text("cd_contacts.label", { en: "Contacts", ru: "Контакты" }), value: text("cd_contacts.value", d.back.contacts) });
  d.back.links.forEach((l, i) => {
    // The URL comes from the merchant: normalised by the URL parser and HTML-escaped before it becomes markup.
    const href = escapeHtml(new URL(l.url).href);
    back.push({ key: `cd_link${i}`, label: text(`cd_link${i}.label`, l.label), value: l.url, attributedValue: `<a href="${href}">${href}</a>` });
  });

  // Always present, so that a push notification changes only its value and Wallet shows that change's
  // message (`%@` is the new value) on the lock screen; a field that appears from nowhere announces nothing.
  back.push({
    key: "cd_news",
    label: text("cd_news.label", newsLabel(d)),
    value: card.news ?? "",
    changeMessage: "%@",
  });

  const message = card.rotatingCode ?? tillCode(card, d);
  const expiration = card.expiresAt ?? (d.expiry.mode === "fixed" ? new Date(`${d.expiry.date}T23:59:59Z`) : null);

  const passJson: Record<string, unknown> = {
    formatVersion: 1,
    passTypeIdentifier: input.passTypeId,
    teamIdentifier: input.teamId,
    organizationName: input.organizationName,
    description: text("cd_description", d.description),
    logoText: d.design.logoText.en || d.design.logoText.ru ? text("cd_logoText", d.design.logoText) : undefined,
    serialNumber: card.serialNumber,
    authenticationToken: card.authenticationToken,
    webServiceURL: webServiceUrl(input.appUrl),
    backgroundColor: rgb(d.design.backgroundColor),
    foregroundColor: rgb(d.design.foregroundColor),
    labelColor: rgb(d.design.labelColor),
    barcodes: appleBarcodeFormats(card.rotatingCode ? "qr" : d.barcode.format).map((format) => ({
      format,
      message,
      messageEncoding: "iso-8859-1",
      // Under a rotating QR the text shown is the card's number, not the day's payload.
      ...(d.barcode.altText === "value" ? { altText: card.rotatingCode ? card.number : message } : {}),
    })),
    locations: input.locations.map((l, i) => ({
      latitude: l.latitude,
      longitude: l.longitude,
      ...(l.relevantText.en || l.relevantText.ru ? { relevantText: text(`cd_location${i}`, l.relevantText) } : {}),
    })),
    ...(expiration ? { expirationDate: expiration.toISOString() } : {}),
    voided: card.voided,
    [KIND_MAPPING[input.kind].apple]: style,
  };
  if (!input.locations.length) delete passJson.locations;
  if (passJson.logoText === undefined) delete passJson.logoText;
  return { passJson, strings };
}
