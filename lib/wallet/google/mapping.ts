import type { walletobjects_v1 } from "@googleapis/walletobjects";
import { formatBalance, formatMoney, formatPoints, minorToMicros } from "@/lib/format/money";
import type { PassCard, PassLocation } from "@/lib/passes/apple/pass-json";
import { tillCode } from "@/lib/templates/till-code";
import { FIELD_POSITIONS, GOOGLE_BARCODE, KIND_MAPPING, pick, type Kind, type TemplateDefinition, type TemplateField } from "@/lib/templates/definition";

type W = WalletTypes;
type WalletTypes = {
  loyaltyClass: walletobjects_v1.Schema$LoyaltyClass;
  loyaltyObject: walletobjects_v1.Schema$LoyaltyObject;
  giftCardClass: walletobjects_v1.Schema$GiftCardClass;
  giftCardObject: walletobjects_v1.Schema$GiftCardObject;
  offerClass: walletobjects_v1.Schema$OfferClass;
  offerObject: walletobjects_v1.Schema$OfferObject;
  genericClass: walletobjects_v1.Schema$GenericClass;
  genericObject: walletobjects_v1.Schema$GenericObject;
};

export type GoogleType = (typeof KIND_MAPPING)[Kind]["google"];
export type GoogleClass = { type: `${GoogleType}Class`; body: W[`${GoogleType}Class`] };
export type GoogleObject = { type: `${GoogleType}Object`; body: W[`${GoogleType}Object`] };

export type GoogleContext = {
  issuerId: string;
  templateId: string;
  merchantName: string;
  currency: string;
  appUrl: string;
  logoFileId: string | null;
  heroFileId: string | null;
  locations: PassLocation[];
};

type Localized = { en: string; ru: string };

/** Google's localized string: English as the default, Russian as a translation when it differs. */
export function localized(value: Localized): walletobjects_v1.Schema$LocalizedString {
  const en = value.en || value.ru;
  return {
    defaultValue: { language: "en", value: en },
    translatedValues: value.ru && value.ru !== en ? [{ language: "ru", value: value.ru }] : [],
  };
}

/** Google ids are `<issuer id>.<suffix>` with letters, digits, '.', '_' or '-' only. */
export const googleId = (issuerId: string, suffix: string) => `${issuerId}.${suffix.replace(/[^\w.-]/g, "_")}`;

const image = (ctx: GoogleContext, fileId: string | null, description: string): walletobjects_v1.Schema$Image | undefined =>
  fileId
    ? { sourceUri: { uri: `${ctx.appUrl.replace(/\/$/, "")}/api/files/${fileId}` }, contentDescription: localized({ en: description, ru: description }) }
    : undefined;

function commonClass(def: TemplateDefinition, ctx: GoogleContext) {
  return {
    id: googleId(ctx.issuerId, ctx.templateId),
    issuerName: ctx.merchantName,
    reviewStatus: "UNDER_REVIEW",
    hexBackgroundColor: def.design.backgroundColor,
    merchantLocations: ctx.locations.map((l) => ({ latitude: l.latitude, longitude: l.longitude })),
    // Google posts save and delete events of this class's objects here (verified in lib/wallet/google/callback).
    callbackOptions: { url: `${ctx.appUrl.replace(/\/$/, "")}/api/google-wallet/callback` },
    textModulesData: [
      ...(def.back.terms.en || def.back.terms.ru
        ? [
            {
              id: "terms",
              header: "Terms",
              localizedHeader: localized({ en: "Terms", ru: "Условия" }),
              body: pick(def.back.terms, "en"),
              localizedBody: localized(def.back.terms),
            },
          ]
        : []),
      ...(def.back.contacts.en || def.back.contacts.ru
        ? [
            {
              id: "contacts",
              header: "Contacts",
              localizedHeader: localized({ en: "Contacts", ru: "Контакты" }),
              body: pick(def.back.contacts, "en"),
              localizedBody: localized(def.back.contacts),
            },
          ]
        : []),
    ],
    linksModuleData: def.back.links.length
      ? { uris: def.back.links.map((l, i) => ({ id: `link${i}`, uri: l.url, description: pick(l.label, "en"), localizedDescription: localized(l.label) })) }
      : undefined,
  };
}

/** The class for a template: what every card of it shares on Google Wallet. */
export function templateToClass(kind: Kind, def: TemplateDefinition, ctx: GoogleContext): GoogleClass {
  const common = commonClass(def, ctx);
  // Google requires a logo on loyalty and gift card classes: without an upload, a square in the card's colour.
  const logo = image(ctx, def.design.logoFileId ?? ctx.logoFileId, ctx.merchantName) ?? {
    sourceUri: { uri: `${ctx.appUrl.replace(/\/$/, "")}/api/passes/default-logo?c=${def.design.backgroundColor.slice(1)}` },
    contentDescription: localized({ en: ctx.merchantName, ru: ctx.merchantName }),
  };
  const hero = image(ctx, def.design.stripFileId ?? ctx.heroFileId, ctx.merchantName);
  switch (KIND_MAPPING[kind].google) {
    case "loyalty":
      return {
        type: "loyaltyClass",
        body: { ...common, programName: pick(def.description, "en"), localizedProgramName: localized(def.description), programLogo: logo, heroImage: hero },
      };
    case "giftCard":
      return { type: "giftCardClass", body: { ...common, merchantName: ctx.merchantName, programLogo: logo, heroImage: hero, allowBarcodeRedemption: true } };
    case "offer":
      return {
        type: "offerClass",
        body: {
          ...common,
          provider: ctx.merchantName,
          title: pick(def.description, "en"),
          localizedTitle: localized(def.description),
          redemptionChannel: "BOTH",
          titleImage: logo,
          heroImage: hero,
        },
      };
    case "generic":
      return {
        type: "genericClass",
        body: {
          id: common.id,
          merchantLocations: common.merchantLocations,
          callbackOptions: common.callbackOptions,
          textModulesData: common.textModulesData,
          linksModuleData: common.linksModuleData,
        },
      };
  }
}

/** A field's text for one card; the balance through the one money and points formatter, in each language. */
function fieldValue(field: TemplateField, card: PassCard, kind: Kind, currency: string): Localized {
  const same = (v: string): Localized => ({ en: v, ru: v });
  switch (field.source) {
    case "static":
      return field.value;
    case "cardNumber":
      return same(card.number);
    case "holderName":
      return same(card.holderName);
    case "balance":
      return { en: formatBalance(kind, card.balance ?? 0, currency, "en"), ru: formatBalance(kind, card.balance ?? 0, currency, "ru") };
    case "discount":
      return same(`${card.discount ?? 0}%`);
    case "expiryDate":
      return same(card.expiresAt ? card.expiresAt.toISOString().slice(0, 10) : "—");
    case "custom":
      return same(card.custom[field.customKey] ?? "");
    case "level":
      return same(card.level ?? "—");
    case "nextLevelIn":
      return card.nextLevelIn == null ? same("—") : { en: formatMoney(card.nextLevelIn, currency, "en"), ru: formatMoney(card.nextLevelIn, currency, "ru") };
    case "stamps":
      return { en: formatPoints(card.stamps ?? 0, "en"), ru: formatPoints(card.stamps ?? 0, "ru") };
    case "rewards":
      return { en: formatPoints(card.rewards ?? 0, "en"), ru: formatPoints(card.rewards ?? 0, "ru") };
  }
}

/**
 * The body of a PATCH that makes Google's object match `object`. Google's patch keeps every field the
 * body leaves out (only an explicit null clears one), so the barcode the object no longer carries is
 * named null: an object saved before its template turned the rotating QR on loses its static, copyable
 * `barcode` (Google shows a static one as a fallback in web views), and one saved under a rotating QR
 * gets its static barcode back, without Google's rotating one, when the template turns it off.
 */
export function objectPatch(object: GoogleObject): Record<string, unknown> {
  const body = object.body as Record<string, unknown>;
  return { ...body, ...(body.rotatingBarcode ? { barcode: null } : { rotatingBarcode: null }) };
}

/** The object for one card: its own values, barcode and state on top of the template's class. */
export function cardToObject(kind: Kind, def: TemplateDefinition, card: PassCard, ctx: GoogleContext): GoogleObject {
  const classId = googleId(ctx.issuerId, ctx.templateId);
  // A rotating-QR template's Google object carries Google's own rotating barcode (lib/till/qr): a TOTP
  // the phone computes, so the object needs no daily patch. Without it (a sample card) the day's payload.
  const message = card.rotatingCode ?? tillCode(card, def);
  const alternateText = def.barcode.altText === "value" ? { alternateText: card.rotatingCode || card.googleRotatingBarcode ? card.number : message } : {};
  const primary = def.fields.primary[0];
  const rows = FIELD_POSITIONS.filter((p) => p !== "primary").flatMap((p) => def.fields[p]);
  const common = {
    id: googleId(ctx.issuerId, card.serialNumber),
    classId,
    state: card.voided ? "INACTIVE" : card.expiresAt && card.expiresAt < new Date() ? "EXPIRED" : "ACTIVE",
    ...(card.googleRotatingBarcode
      ? { rotatingBarcode: { ...card.googleRotatingBarcode, ...alternateText } }
      : { barcode: { type: GOOGLE_BARCODE[card.rotatingCode ? "qr" : def.barcode.format], value: message, ...alternateText } }),
    hexBackgroundColor: def.design.backgroundColor,
    ...(card.expiresAt ? { validTimeInterval: { end: { date: card.expiresAt.toISOString() } } } : {}),
    textModulesData: rows.map((f) => {
      const value = fieldValue(f, card, kind, ctx.currency);
      return { id: f.key, header: pick(f.label, "en"), localizedHeader: localized(f.label), body: pick(value, "en"), localizedBody: localized(value) };
    }),
  };
  switch (KIND_MAPPING[kind].google) {
    case "loyalty":
      return {
        type: "loyaltyObject",
        body: {
          ...common,
          accountId: card.number,
          accountName: card.holderName,
          loyaltyPoints: primary
            ? {
                label: pick(primary.label, "en"),
                localizedLabel: localized(primary.label),
                balance: { string: pick(fieldValue(primary, card, kind, ctx.currency), "en") },
              }
            : undefined,
        },
      };
    case "giftCard":
      return {
        type: "giftCardObject",
        body: { ...common, cardNumber: card.number, balance: { micros: minorToMicros(card.balance ?? 0, ctx.currency), currencyCode: ctx.currency } },
      };
    case "offer":
      return { type: "offerObject", body: common };
    case "generic":
      return {
        type: "genericObject",
        body: {
          ...common,
          cardTitle: localized(def.design.logoText.en || def.design.logoText.ru ? def.design.logoText : { en: ctx.merchantName, ru: ctx.merchantName }),
          header: localized(primary ? fieldValue(primary, card, kind, ctx.currency) : { en: card.holderName, ru: card.holderName }),
          logo: image(ctx, def.design.logoFileId, ctx.merchantName),
          heroImage: image(ctx, def.design.stripFileId, ctx.merchantName),
        },
      };
  }
}
