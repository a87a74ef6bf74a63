import { describe, expect, it } from "vitest";
import { currencyDigits, formatBalance, formatMoney, formatPoints, minorToMajor, minorToMicros } from "@/lib/format/money";
import { buildPassJson, type PassCard } from "@/lib/passes/apple/pass-json";
import { TEMPLATE_KINDS, defaultDefinition, newField, type Kind, type TemplateDefinition } from "@/lib/templates/definition";
import { cardToObject, type GoogleContext } from "@/lib/wallet/google/mapping";

// Intl puts narrow/no-break spaces in Russian numbers; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

const card: PassCard = {
  serialNumber: "SER-1",
  authenticationToken: "t".repeat(20),
  number: "2026004277",
  holderName: "Anna",
  balance: 12345,
  discount: 10,
  expiresAt: null,
  custom: {},
  voided: false,
};
const ctx: GoogleContext = {
  issuerId: "3388000000012345678",
  templateId: "tpl-1",
  merchantName: "Кофейня",
  currency: "RUB",
  appUrl: "https://cards.example.com",
  logoFileId: null,
  heroFileId: null,
  locations: [],
};

/** The kind's default design with its balance shown again in a secondary slot, outside the primary one. */
function withBalanceOutsidePrimary(kind: Kind): TemplateDefinition {
  const def = defaultDefinition(kind, "M");
  return { ...def, fields: { ...def.fields, secondary: [...def.fields.secondary, newField("bal2", "balance", { en: "Left", ru: "Осталось" })] } };
}

describe("one money and points formatter", () => {
  it("reads minor units by the currency's own digits", () => {
    expect([currencyDigits("RUB"), currencyDigits("JPY"), currencyDigits("KWD")]).toEqual([2, 0, 3]);
    expect([minorToMajor(12345, "RUB"), minorToMajor(12345, "JPY")]).toEqual([123.45, 12345]);
    expect([minorToMicros(12345, "RUB"), minorToMicros(500, "JPY"), minorToMicros(2_000_000_000, "RUB")]).toEqual(["123450000", "500000000", "20000000000000"]);
  });

  it("formats money and points per locale", () => {
    expect(plain(formatMoney(12345, "RUB", "ru"))).toBe("123,45 ₽");
    expect(formatMoney(12345, "USD", "en")).toBe("$123.45");
    expect(formatMoney(500, "JPY", "en")).toBe("¥500");
    expect(formatPoints(1250, "en")).toBe("1,250");
    expect(plain(formatPoints(1250, "ru"))).toBe("1 250");
  });

  it.each(TEMPLATE_KINDS)("a %s card's balance reads as its kind", (kind) => {
    const expected = kind === "gift" ? "123,45 ₽" : "12 345";
    expect(plain(formatBalance(kind, 12345, "RUB", "ru"))).toBe(expected);
  });
});

describe("every surface uses it", () => {
  it.each(TEMPLATE_KINDS)("Google Wallet shows a %s balance outside the primary slot as its kind reads it, in both languages", (kind) => {
    const object = cardToObject(kind, withBalanceOutsidePrimary(kind), card, ctx);
    const shown = (object.body.textModulesData ?? []).find((m) => m.id === "bal2")!;
    const money = kind === "gift";
    // Kopecks were once shown raw ("12345" for 123.45 ₽).
    expect(plain(shown.body ?? "")).toBe(money ? "RUB 123.45" : "12,345");
    const ru = shown.localizedBody?.translatedValues?.find((v) => v.language === "ru")?.value;
    expect(plain(ru ?? shown.localizedBody?.defaultValue?.value ?? "")).toBe(money ? "123,45 ₽" : "12 345");
  });

  it("Google's gift card balance is money in micros of the currency's major unit", () => {
    expect(cardToObject("gift", defaultDefinition("gift", "M"), card, ctx).body).toMatchObject({ balance: { micros: "123450000", currencyCode: "RUB" } });
    expect(cardToObject("gift", defaultDefinition("gift", "M"), card, { ...ctx, currency: "JPY" }).body).toMatchObject({
      balance: { micros: "12345000000", currencyCode: "JPY" },
    });
  });

  it.each(TEMPLATE_KINDS)("an Apple pass carries a %s balance as a number, money with its currency", (kind) => {
    const { passJson } = buildPassJson({
      kind,
      definition: withBalanceOutsidePrimary(kind),
      card,
      organizationName: "M",
      currency: "JPY",
      passTypeId: "pass.x",
      teamId: "T",
      appUrl: "http://localhost:3000",
      locations: [],
    });
    const style = Object.values(passJson).find((v) => v && typeof v === "object" && "secondaryFields" in (v as object)) as {
      secondaryFields: { key: string; value: unknown; currencyCode?: string }[];
    };
    const field = style.secondaryFields.find((f) => f.key === "bal2")!;
    expect(field).toMatchObject(kind === "gift" ? { value: 12345, currencyCode: "JPY" } : { value: 12345 });
    if (kind !== "gift") expect(field.currencyCode).toBeUndefined();
  });
});
