import { describe, expect, it } from "vitest";
import { signUpSchema, changePasswordSchema } from "@/lib/validations/auth";
import { issueCardSchema } from "@/lib/validations/cards";
import { page } from "@/lib/validations/common";
import { fieldErrorsOf } from "@/lib/validations/issues";
import { locationSchema } from "@/lib/validations/locations";
import { organisationSchema } from "@/lib/validations/merchants";

const firstError = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, field: string) =>
  r.error?.issues.find((i) => i.path[0] === field)?.message;

describe("location validation", () => {
  const valid = { name: "Shop", address: "", latitude: "55.75", longitude: "37.61", nearbyText: "" };

  it.each([
    ["100", "validation.latitudeRange"],
    ["-90.5", "validation.latitudeRange"],
    ["abc", "validation.latitude"],
    ["", "validation.required"],
    ["55,7x", "validation.latitude"],
  ])("refuses latitude %j with %s", (latitude, message) => {
    expect(firstError(locationSchema.safeParse({ ...valid, latitude }), "latitude")).toBe(message);
  });

  it("refuses a longitude outside -180..180", () => {
    expect(firstError(locationSchema.safeParse({ ...valid, longitude: "180.01" }), "longitude")).toBe("validation.longitudeRange");
  });

  it("gives a longitude's own example for a longitude that is not a number", () => {
    expect(firstError(locationSchema.safeParse({ ...valid, longitude: "east" }), "longitude")).toBe("validation.longitude");
  });

  it("accepts a comma as the decimal mark and trims text", () => {
    const r = locationSchema.parse({ ...valid, name: "  Shop  ", latitude: "55,7558", longitude: "-37.5" });
    expect(r).toMatchObject({ name: "Shop", latitude: 55.7558, longitude: -37.5 });
  });

  it("requires a name", () => {
    expect(firstError(locationSchema.safeParse({ ...valid, name: "   " }), "name")).toBe("validation.required");
  });
});

describe("password rules", () => {
  const base = { organisation: "Org", name: "Me", email: "me@example.com" };
  it.each([
    ["short1", "validation.passwordShort"],
    ["onlyletterslong", "validation.passwordWeak"],
    ["1234567890123", "validation.passwordWeak"],
  ])("refuses %j", (password, message) => {
    expect(firstError(signUpSchema.safeParse({ ...base, password }), "password")).toBe(message);
  });

  it("accepts letters with digits, lower-cases the e-mail", () => {
    expect(signUpSchema.parse({ ...base, email: " Me@Example.COM ", password: "пароль-12345" }).email).toBe("me@example.com");
  });

  it("needs the confirmation to match and the new password to differ", () => {
    const mismatch = changePasswordSchema.safeParse({ currentPassword: "old-pass-123", newPassword: "new-pass-1234", confirmPassword: "other-1234567" });
    expect(firstError(mismatch, "confirmPassword")).toBe("validation.passwordMismatch");
    const same = changePasswordSchema.safeParse({ currentPassword: "same-pass-1234", newPassword: "same-pass-1234", confirmPassword: "same-pass-1234" });
    expect(firstError(same, "newPassword")).toBe("validation.passwordSame");
  });
});

describe("organisation validation", () => {
  const valid = { name: "Org", legalName: "", taxId: "", legalAddress: "", contactEmail: "", contactPhone: "", timeZone: "Europe/Moscow", currency: "RUB" };
  it("accepts empty optional fields", () => {
    expect(organisationSchema.safeParse(valid).success).toBe(true);
  });
  it.each([
    ["taxId", "12345", "validation.taxId"],
    ["timeZone", "Mars/Olympus", "validation.timeZone"],
    ["currency", "XXX", "validation.currency"],
    ["contactEmail", "not-an-email", "validation.email"],
  ])("refuses %s = %j", (field, value, message) => {
    expect(firstError(organisationSchema.safeParse({ ...valid, [field]: value }), field)).toBe(message);
  });
  it("accepts 10- and 12-digit tax ids", () => {
    expect(organisationSchema.safeParse({ ...valid, taxId: "7707083893" }).success).toBe(true);
    expect(organisationSchema.safeParse({ ...valid, taxId: "500100732259" }).success).toBe(true);
  });
});

describe("number messages name their own kind of number", () => {
  const issue = (values: Record<string, unknown>) =>
    issueCardSchema("RU").safeParse({ templateId: "00000000-0000-4000-8000-000000000000", customer: { phone: "+79161234567" }, ...values });

  it.each([["abc"], ["1.5"]])("a balance of %j asks for a whole number, not a coordinate", (balance) => {
    expect(firstError(issue({ balance }), "balance")).toBe("validation.wholeNumber");
  });

  it("the messages say so in both languages", async () => {
    const en = (await import("@/messages/en.json")).default.validation;
    const ru = (await import("@/messages/ru.json")).default.validation;
    expect(en.wholeNumber).not.toMatch(/55\.7558/);
    expect(en.longitude).toMatch(/37\.6173/);
    expect(ru.longitude).toMatch(/37\.6173/);
    expect(en.latitude).toMatch(/55\.7558/);
  });
});

describe("fieldErrorsOf", () => {
  it("keys each field by its dotted path, keeps the first message, and names a whole-input rule", () => {
    const error = {
      issues: [
        { path: ["customer", "phone"], message: "customers.errors.phone" },
        { path: ["customer", "phone"], message: "validation.tooLong" },
        { path: [], message: "cards.errors.nothingToChange" },
      ],
    } as unknown as Parameters<typeof fieldErrorsOf>[0];
    expect(fieldErrorsOf(error)).toEqual({ "customer.phone": "customers.errors.phone", _form: "cards.errors.nothingToChange" });
    expect(fieldErrorsOf(error, "")).toEqual({ "customer.phone": "customers.errors.phone", "": "cards.errors.nothingToChange" });
  });
});

describe("page numbers from the query string", () => {
  it.each([
    ["3", 3],
    [undefined, 1],
    ["0", 1],
    ["-2", 1],
    ["2.5", 1],
    ["abc", 1],
    ["1e300", 1],
    ["10000001", 1],
    ["10000000", 10_000_000],
  ])("%s reads as page %s", (raw, expected) => {
    expect(page().parse(raw)).toBe(expected);
  });
});
