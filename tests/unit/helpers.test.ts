import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/auth/redirect";
import { can } from "@/lib/auth/roles";
import { readImageInfo } from "@/lib/files/image";
import { slugify } from "@/lib/merchants/slug";
import { localeFromAcceptLanguage } from "@/i18n/config";
import { makePng } from "../fixtures/png";

describe("readImageInfo", () => {
  it("reads PNG dimensions from the header", () => {
    expect(readImageInfo(makePng(320, 100))).toEqual({ type: "image/png", width: 320, height: 100 });
  });
  it("reads JPEG dimensions from the SOF marker", () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x40, 0x00, 0x80, 0x01, 0x01, 0x11, 0x00]);
    expect(readImageInfo(jpeg)).toEqual({ type: "image/jpeg", width: 128, height: 64 });
  });
  it("refuses a file that only claims to be an image", () => {
    expect(readImageInfo(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
  });
});

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
