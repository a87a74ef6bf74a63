import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "@/lib/validations/issues";
import { definitionFormSchema, majorToMinor } from "@/lib/validations/gift-certificates";

describe("the definition form", () => {
  it("reads money in major units", () => {
    expect(majorToMinor("1000", 2)).toBe(100_000);
    expect(majorToMinor("1 000,50", 2)).toBe(100_050);
    expect(majorToMinor("1.005", 2)).toBeNaN();
    expect(majorToMinor("abc", 2)).toBeNaN();
  });

  it("names each refused field by the form's own input name", () => {
    const parsed = definitionFormSchema(2).safeParse({
      name: "",
      valueKind: "money",
      nominal: "x",
      validityMode: "days",
      "validity.days": "0",
      "terms.en": "a\u0000b",
    });
    expect(parsed.success).toBe(false);
    const errors = fieldErrorsOf(parsed.error!);
    expect(errors).toMatchObject({
      name: "validation.required",
      nominal: "giftCertificates.errors.nominal",
      "validity.days": "giftCertificates.errors.days",
      "terms.en": "validation.controlChars",
    });
  });

  it("takes a product certificate with its points of sale", () => {
    const id = "5b1f8c2e-4d3a-4e6b-9c8d-7a6b5c4d3e2f";
    const parsed = definitionFormSchema(2).parse({
      name: "Pizza",
      valueKind: "product",
      "product.en": "One large pizza",
      validityMode: "fixed",
      "validity.date": "2027-12-31",
      [`location.${id}`]: "on",
    });
    expect(parsed).toMatchObject({
      valueKind: "product",
      nominal: undefined,
      product: { en: "One large pizza" },
      locationIds: [id],
      validity: { mode: "fixed" },
    });
  });
});
