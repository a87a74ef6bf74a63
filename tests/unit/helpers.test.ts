import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/auth/redirect";
import { can } from "@/lib/auth/roles";
import { slugify } from "@/lib/merchants/slug";
import { localeFromAcceptLanguage } from "@/i18n/config";

describe("slugify", () => {
  it.each([
    ["Кофейня «Ромашка»", "kofeynya-romashka"],
    ["Café Noir & Co.", "cafe-noir-co"],
    ["!!!", "merchant"],
  ])("%j → %j", (name, slug) => expect(slugify(name)).toBe(slug));
});

describe("roles", () => {
  it("lets only the owner manage staff, and everyone view the dashboard", () => {
    expect(can("owner", "staff.manage")).toBe(true);
    expect(can("admin", "staff.manage")).toBe(false);
    expect(can("cashier", "locations.manage")).toBe(false);
    expect(can("cashier", "dashboard.view")).toBe(true);
  });
});

describe("request helpers", () => {
  it.each([
    ["/locations?q=1", "/locations?q=1"],
    ["//evil.com", "/dashboard"],
    ["/\\evil.com", "/dashboard"],
    ["/\t/evil.com", "/dashboard"],
    ["https://evil.com", "/dashboard"],
    ["/%2F%2Fevil.com", "/%2F%2Fevil.com"],
    [null, "/dashboard"],
  ])("keeps sign-in redirects on the site: %j → %j", (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
  it("picks the first supported language", () => {
    expect(localeFromAcceptLanguage("ru-RU,ru;q=0.9,en;q=0.8")).toBe("ru");
    expect(localeFromAcceptLanguage("de-DE,fr;q=0.5")).toBe("en");
    expect(localeFromAcceptLanguage(null)).toBe("en");
  });
});
