import JSZip from "jszip";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import type { StaffContext } from "@/lib/auth/session";
import { createLocation } from "@/lib/locations";
import { createTemplate, getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { createTestMerchant } from "../factories";

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn }));
const { GET } = await import("@/app/api/templates/[id]/sample-pass/route");
const { GET: googleSample } = await import("@/app/api/templates/[id]/google-sample/route");

const ctxOf = (m: Awaited<ReturnType<typeof createTestMerchant>>, role: StaffContext["role"] = "owner"): StaffContext => ({
  userId: m.owner.id,
  merchantId: m.merchant.id,
  role,
  merchant: m.merchant,
  user: m.owner,
});
const call = (id: string) => GET(new Request(`http://localhost/api/templates/${id}/sample-pass`), { params: Promise.resolve({ id }) });

beforeEach(() => {
  signedIn = null;
});

describe("GET /api/templates/{id}/google-sample", () => {
  it("redirects to Save to Google Wallet with a signed JWT naming the template's class", async () => {
    const m = await createTestMerchant();
    const template = await createTemplate(getDb(), m.actor, { name: "Gift", kind: "gift" });
    signedIn = ctxOf(m);
    const response = await googleSample(new Request("http://localhost/x"), { params: Promise.resolve({ id: template.id }) });
    expect(response.status).toBe(302);
    const location = response.headers.get("location") ?? "";
    expect(location.startsWith("https://pay.google.com/gp/v/save/")).toBe(true);
    const claims = JSON.parse(Buffer.from(location.split("/").at(-1)!.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ aud: "google", typ: "savetowallet" });
    expect(claims.payload.giftCardClasses[0].id).toMatch(new RegExp(`\\.${template.id}$`));
    signedIn = ctxOf(await createTestMerchant());
    expect((await googleSample(new Request("http://localhost/x"), { params: Promise.resolve({ id: template.id }) })).status).toBe(404);
  });
});

describe("GET /api/templates/{id}/sample-pass", () => {
  it("returns a signed pass with the template's points of sale for its merchant's staff", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const place = await createLocation(db, m.actor, { name: "Shop", address: "", latitude: 55.75, longitude: 37.61, nearbyText: "Come in" });
    const template = await createTemplate(db, m.actor, { name: "Coffee", kind: "loyalty" });
    const { definition } = (await getTemplateOrThrow(db, m.merchant.id, template.id)).version;
    await saveTemplateVersion(db, m.actor, template.id, {
      name: "Coffee",
      definition: { ...definition, locations: [{ locationId: place.id, relevantText: { en: "", ru: "" } }] },
    });
    signedIn = ctxOf(m);
    const response = await call(template.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.apple.pkpass");
    const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
    const pass = JSON.parse(await zip.file("pass.json")!.async("string"));
    expect(pass.locations).toEqual([{ latitude: 55.75, longitude: 37.61, relevantText: "cd_location0" }]);
    expect(await zip.file("en.lproj/pass.strings")!.async("string")).toContain("Come in");
    expect(zip.file("signature")).not.toBeNull();
  });

  it("is 401 signed out, 404 for another merchant, 404 for a cashier and for a malformed id", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const template = await createTemplate(getDb(), a.actor, { name: "A", kind: "coupon" });
    expect((await call(template.id)).status).toBe(401);
    signedIn = ctxOf(b);
    expect((await call(template.id)).status).toBe(404);
    expect((await call("not-a-uuid")).status).toBe(404);
    signedIn = ctxOf(a, "cashier");
    expect((await call(template.id)).status).toBe(404);
  });
});
