import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import type { StaffContext } from "@/lib/auth/session";
import { createLocation } from "@/lib/locations";
import { saveFile } from "@/lib/files";
import {
  createTemplate,
  duplicateTemplate,
  getTemplateOrThrow,
  listTemplates,
  listTemplateVersions,
  restoreTemplateVersion,
  saveTemplateVersion,
  setTemplateArchived,
} from "@/lib/templates";
import { MAX_LOCATIONS } from "@/lib/templates/definition";
import { createTestMerchant } from "../factories";
import { makePng } from "../fixtures/png";

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
const { saveTemplateAction, uploadTemplateImageAction } = await import("@/app/(cabinet)/templates/actions");

const place = { address: "", latitude: 55.7, longitude: 37.6, nearbyText: "" };
const contextFor = (m: Awaited<ReturnType<typeof createTestMerchant>>): StaffContext => ({
  userId: m.owner.id,
  merchantId: m.merchant.id,
  role: "owner",
  merchant: m.merchant,
  user: m.owner,
});
const form = (values: Record<string, string | Blob>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
};

beforeEach(() => {
  signedIn = null;
});

describe("templates", () => {
  it("saves every change as a numbered version and restores an old one as a new version", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const template = await createTemplate(db, actor, { name: "Coffee", kind: "loyalty" });
    const v1 = (await getTemplateOrThrow(db, merchant.id, template.id)).version.definition;
    expect(v1.design.logoText.en).toBe(merchant.name);

    const edited = { ...v1, design: { ...v1.design, backgroundColor: "#112233" } };
    expect((await saveTemplateVersion(db, actor, template.id, { name: "Coffee+", definition: edited })).version).toBe(2);
    const restored = await restoreTemplateVersion(db, actor, template.id, 1);
    expect(restored.version).toBe(3);

    const current = await getTemplateOrThrow(db, merchant.id, template.id);
    expect(current.template).toMatchObject({ currentVersion: 3, name: "Coffee+" });
    expect(current.version.definition).toEqual(v1);
    const versions = await listTemplateVersions(db, merchant.id, template.id);
    expect(versions.map((v) => [v.version, v.restoredFrom])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);
    expect(versions.every((v) => v.authorName === "Owner Person")).toBe(true);
  });

  it("refuses a save based on an older version than the current one", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const template = await createTemplate(db, actor, { name: "T", kind: "loyalty" });
    const { definition } = (await getTemplateOrThrow(db, merchant.id, template.id)).version;
    await saveTemplateVersion(db, actor, template.id, { name: "First", definition, baseVersion: 1 });
    await expect(saveTemplateVersion(db, actor, template.id, { name: "Stale", definition, baseVersion: 1 })).rejects.toMatchObject({
      code: "conflict",
      message: "templates.errors.staleVersion",
      params: { version: 2 },
    });
    expect((await getTemplateOrThrow(db, merchant.id, template.id)).template).toMatchObject({ name: "First", currentVersion: 2 });
  });

  it("numbers concurrent saves one after another", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const template = await createTemplate(db, actor, { name: "T", kind: "stamp" });
    const { definition } = (await getTemplateOrThrow(db, merchant.id, template.id)).version;
    const saved = await Promise.all([1, 2, 3].map((i) => saveTemplateVersion(db, actor, template.id, { name: `T${i}`, definition })));
    expect(saved.map((s) => s.version).sort()).toEqual([2, 3, 4]);
  });

  it("duplicates the current design and archives without deleting", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const template = await createTemplate(db, actor, { name: "Gift", kind: "gift" });
    const copy = await duplicateTemplate(db, actor, template.id, "Gift (copy)");
    expect(copy).toMatchObject({ kind: "gift", currentVersion: 1 });
    await setTemplateArchived(db, actor, template.id, true);
    const active = await listTemplates(db, merchant.id, { page: 1, pageSize: 10, archived: false });
    const archived = await listTemplates(db, merchant.id, { page: 1, pageSize: 10, archived: true });
    expect(active.rows.map((r) => r.template.name)).toEqual(["Gift (copy)"]);
    expect(archived.rows.map((r) => r.template.name)).toEqual(["Gift"]);
  });

  it("refuses points of sale and images that belong to another merchant", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const template = await createTemplate(db, a.actor, { name: "T", kind: "coupon" });
    const { definition } = (await getTemplateOrThrow(db, a.merchant.id, template.id)).version;
    const theirs = await createLocation(db, b.actor, { ...place, name: "B's shop" });
    await expect(
      saveTemplateVersion(db, a.actor, template.id, {
        name: "T",
        definition: { ...definition, locations: [{ locationId: theirs.id, relevantText: { en: "", ru: "" } }] },
      }),
    ).rejects.toMatchObject({ message: "templates.errors.unknownLocation" });
    const theirFile = await saveFile(db, b.merchant.id, makePng(100, 40), "image/png");
    await expect(
      saveTemplateVersion(db, a.actor, template.id, { name: "T", definition: { ...definition, design: { ...definition.design, logoFileId: theirFile } } }),
    ).rejects.toMatchObject({
      message: "templates.errors.unknownImage",
    });
  });
});

describe("templates — tenancy", () => {
  it("merchant B can neither see, change, copy, archive nor restore merchant A's template", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const template = await createTemplate(db, a.actor, { name: "A's", kind: "loyalty" });
    const { definition } = (await getTemplateOrThrow(db, a.merchant.id, template.id)).version;
    await expect(getTemplateOrThrow(db, b.merchant.id, template.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(saveTemplateVersion(db, b.actor, template.id, { name: "x", definition })).rejects.toMatchObject({ code: "not_found" });
    await expect(duplicateTemplate(db, b.actor, template.id, "x")).rejects.toMatchObject({ code: "not_found" });
    await expect(setTemplateArchived(db, b.actor, template.id, true)).rejects.toMatchObject({ code: "not_found" });
    await expect(restoreTemplateVersion(db, b.actor, template.id, 1)).rejects.toMatchObject({ code: "not_found" });
    expect((await listTemplates(db, b.merchant.id, { page: 1, pageSize: 10, archived: false })).total).toBe(0);
    expect(await listTemplateVersions(db, b.merchant.id, template.id)).toEqual([]);

    signedIn = contextFor(b);
    const viaAction = await saveTemplateAction(null, form({ id: template.id, baseVersion: "1", name: "x", definition: JSON.stringify(definition) }));
    expect(viaAction).toMatchObject({ ok: false, code: "not_found" });
    const upload = await uploadTemplateImageAction(null, form({ id: template.id, slot: "logo", file: new File([new Uint8Array(makePng(100, 40))], "l.png") }));
    expect(upload).toMatchObject({ ok: false, code: "not_found" });
    expect((await getTemplateOrThrow(db, a.merchant.id, template.id)).template).toMatchObject({ name: "A's", currentVersion: 1 });
  });
});

describe("templates — editor actions", () => {
  it("answers with field paths for an 11th point of sale and a change message without %@", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const template = await createTemplate(db, m.actor, { name: "T", kind: "loyalty" });
    const { definition } = (await getTemplateOrThrow(db, m.merchant.id, template.id)).version;
    const places = await Promise.all(Array.from({ length: MAX_LOCATIONS + 1 }, (_, i) => createLocation(db, m.actor, { ...place, name: `Shop ${i}` })));
    definition.locations = places.map((p) => ({ locationId: p.id, relevantText: { en: "", ru: "" } }));
    definition.fields.primary[0].changeMessage = { en: "changed", ru: "" };
    signedIn = contextFor(m);
    const result = await saveTemplateAction(null, form({ id: template.id, baseVersion: "1", name: "T", definition: JSON.stringify(definition) }));
    expect(result).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: {
        "definition.locations": "templates.errors.tooManyLocations",
        "definition.fields.primary.0.changeMessage.en": "templates.errors.changeMessage",
      },
    });
    expect((await getTemplateOrThrow(db, m.merchant.id, template.id)).template.currentVersion).toBe(1);
  });

  it("checks an uploaded image against its slot and says what is wrong", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const template = await createTemplate(db, m.actor, { name: "T", kind: "loyalty" });
    signedIn = contextFor(m);
    const big = await uploadTemplateImageAction(
      null,
      form({ id: template.id, slot: "logo", file: new File([new Uint8Array(makePng(1000, 1000))], "big.png") }),
    );
    expect(big).toMatchObject({
      ok: false,
      fieldErrors: { file: "validation.imageDimensions" },
      params: { width: 1000, height: 1000, maxWidth: 480, maxHeight: 150 },
    });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x40, 0x00, 0x80, 0x01, 0x01, 0x11, 0x00]);
    const notPng = await uploadTemplateImageAction(null, form({ id: template.id, slot: "logo", file: new File([new Uint8Array(jpeg)], "logo.jpg") }));
    expect(notPng).toMatchObject({ ok: false, fieldErrors: { file: "validation.imagePng" } });
    // A file that is no image at all, or a damaged PNG: the icon slot says PNG, and so does its error.
    const text = await uploadTemplateImageAction(null, form({ id: template.id, slot: "icon", file: new File(["not an image"], "icon.png") }));
    expect(text).toMatchObject({ ok: false, fieldErrors: { file: "validation.imagePngType" } });
    const damaged = await uploadTemplateImageAction(
      null,
      form({ id: template.id, slot: "icon", file: new File([new Uint8Array(makePng(64, 64).subarray(0, 40))], "icon.png") }),
    );
    expect(damaged).toMatchObject({ ok: false, fieldErrors: { file: "validation.imagePngCorrupt" } });
    const ok = await uploadTemplateImageAction(null, form({ id: template.id, slot: "logo", file: new File([new Uint8Array(makePng(300, 100))], "logo.png") }));
    expect(ok).toMatchObject({ ok: true, data: { slot: "logo", fileId: expect.any(String) } });
  });
});
