import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { normalizePhone, phoneSearchDigits } from "@/lib/customers/phone";
import { customerFieldsSchema } from "@/lib/validations/customers";

describe("normalizePhone", () => {
  it.each([
    ["8 (916) 123-45-67", "RU", "+79161234567"],
    ["+7 916 123 45 67", "RU", "+79161234567"],
    ["79161234567", "RU", "+79161234567"],
    ["9161234567", "RU", "+79161234567"],
    ["8-916-123-45-67", "ru", "+79161234567"],
    ["\u00a0+7\u00a0916\u00a0123‑45‑67 ", "RU", "+79161234567"],
    ["8 701 123 45 67", "KZ", "+77011234567"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["(212) 555-0123", "US", "+12125550123"],
    // An international number reads the same whatever the merchant's country.
    ["+44 20 7946 0958", "RU", "+442079460958"],
    ["+44 20 7946 0958", "US", "+442079460958"],
    ["+44 20 7946 0958", "", "+442079460958"],
    // Spreadsheets drop the "+" or keep the "00" dialling prefix.
    ["79161234567", "GB", "+79161234567"],
    ["0044 20 7946 0958", "RU", "+442079460958"],
    ["810 44 20 7946 0958", "RU", "+442079460958"],
  ])("reads %j in %s as %s", (input, country, e164) => {
    expect(normalizePhone(input, country)).toBe(e164);
  });

  it.each([
    ["12345", "RU"],
    ["abc", "RU"],
    ["", "RU"],
    ["   ", "RU"],
    ["+7 916 123 45 6", "RU"],
    ["+7 916 123 45 678", "RU"],
    // Possible by length, but no Russian number starts with 0 after the country code.
    ["+7 000 000 00 00", "RU"],
    // A national-length typo stays refused rather than being reread as Japan's +81.
    ["8 123 456 78 90", "RU"],
    ["8 916 123 45 67 доб. 12", "RU"],
    ["call 89161234567", "RU"],
    ["7+9161234567", "RU"],
    ["+79161234567+", "RU"],
    ["1".repeat(30), "RU"],
    // With no known country a national form cannot be read.
    ["8 916 123 45 67", ""],
    ["8 916 123 45 67", "XX"],
  ])("refuses %j in %j", (input, country) => {
    expect(normalizePhone(input, country)).toBeNull();
  });
});

describe("phoneSearchDigits", () => {
  it.each([
    ["916 123", undefined, "916123"],
    ["916 123", "RU", "916123"],
    ["8 916 123-45-67", "RU", "79161234567"],
    ["8 916 123-45-67", undefined, "9161234567"],
    ["8 916 123", "RU", "916123"],
    ["+7 916", undefined, "7916"],
    ["+44 20 7946 0958", undefined, "442079460958"],
    ["0044 20", undefined, "4420"],
    ["020 7946", "GB", "207946"],
    ["8", undefined, "8"],
    ["abc", undefined, ""],
    ["", "RU", ""],
  ])("%j (%s) → %j", (input, country, digits) => {
    expect(phoneSearchDigits(input, country)).toBe(digits);
  });

  it.each(["8 (916) 123-45-67", "916 123 45", "+7 916 12", "8 916", "79161234567", "45-67"])("finds +79161234567 by %j", (input) => {
    const digits = phoneSearchDigits(input, "RU");
    expect(digits.length).toBeGreaterThan(0);
    expect("+79161234567").toContain(digits);
  });
});

describe("customerFieldsSchema", () => {
  const schema = customerFieldsSchema("RU");
  const issues = (input: unknown) => {
    const r = schema.safeParse(input);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2025-06-15T12:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("normalises every field it accepts", () => {
    const input = { phone: " 8 (916) 123-45-67 ", email: " Ivan@Example.COM ", name: "  Иван Петров ", birthday: "1990-02-28" };
    expect(schema.parse(input)).toEqual({ phone: "+79161234567", email: "ivan@example.com", name: "Иван Петров", birthday: "1990-02-28" });
  });

  it("reads a national phone in the merchant's country", () => {
    expect(customerFieldsSchema("GB").parse({ phone: "020 7946 0958" }).phone).toBe("+442079460958");
    expect(issues({ phone: "020 7946 0958" })).toEqual({ phone: "customers.errors.phone" });
  });

  it.each([{ email: "", name: "", birthday: "" }, { email: null, name: null, birthday: null }, {}])("treats %j as not given", (rest) => {
    const r = schema.parse({ phone: "+79161234567", ...rest });
    expect(r).toEqual({ phone: "+79161234567" });
    expect([r.email, r.name, r.birthday]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    [{}, "validation.required"],
    [{ phone: "" }, "validation.required"],
    [{ phone: "   " }, "validation.required"],
    [{ phone: "12345" }, "customers.errors.phone"],
    [{ phone: "abc" }, "customers.errors.phone"],
    [{ phone: 79161234567 }, "customers.errors.phone"],
  ])("refuses the phone in %j with %s", (input, message) => {
    expect(issues(input)).toEqual({ phone: message });
  });

  it.each([
    ["email", "not-an-email", "validation.email"],
    ["email", `${"a".repeat(250)}@example.com`, "validation.tooLong"],
    ["name", "a".repeat(121), "validation.tooLong"],
    ["birthday", "1899-12-31", "customers.errors.birthday"],
    ["birthday", "1990-02-30", "customers.errors.birthday"],
    ["birthday", "1990-2-3", "customers.errors.birthday"],
    ["birthday", "01.02.1990", "customers.errors.birthday"],
    ["birthday", "2025-06-17", "customers.errors.birthday"],
    ["birthday", "someday", "customers.errors.birthday"],
  ])("refuses %s %j with %s", (field, value, message) => {
    expect(issues({ phone: "+79161234567", [field]: value })).toEqual({ [field]: message });
  });

  it.each([
    ["name", "a".repeat(120)],
    ["birthday", "1900-01-01"],
    ["birthday", "2024-02-29"],
    ["birthday", "2025-06-15"],
    // Already the 16th in UTC+14 while it is the 15th in UTC.
    ["birthday", "2025-06-16"],
  ])("accepts %s %j", (field, value) => {
    expect(schema.parse({ phone: "+79161234567", [field]: value })).toMatchObject({ [field]: value });
  });
});
