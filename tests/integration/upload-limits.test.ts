import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { files } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { createTemplate } from "@/lib/templates";
import { createTestMerchant } from "../factories";
import { makePng } from "../fixtures/png";

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
const { uploadLogoAction } = await import("@/app/(cabinet)/settings/organisation/actions");
const { uploadTemplateImageAction } = await import("@/app/(cabinet)/templates/actions");
const { uploadAppleCertificateAction } = await import("@/app/(cabinet)/settings/certificates/actions");

type Merchant = Awaited<ReturnType<typeof createTestMerchant>>;
let m: Merchant;
const form = (entries: Record<string, string | File>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.append(k, v);
  return data;
};
const storedFiles = async () => (await getDb().select({ id: files.id }).from(files).where(eq(files.merchantId, m.merchant.id))).length;

beforeEach(async () => {
  m = await createTestMerchant();
  signedIn = { userId: m.owner.id, merchantId: m.merchant.id, role: "owner", merchant: m.merchant, user: m.owner };
});

describe("upload limits are checked on the server too, with a message naming the limit", () => {
  it("refuses a 4.9 MB logo next to the field", async () => {
    const logo = new File([new Uint8Array(makePng(256, 256, [1, 2, 3], Math.round(4.9 * 1024 * 1024)))], "logo.png", { type: "image/png" });
    const result = await uploadLogoAction(null, form({ logo }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { logo: "validation.fileTooLargeMb" }, params: { max: 1 } });
    expect(await storedFiles()).toBe(0);
  });

  it("refuses a strip image over its limit next to the field", async () => {
    const template = await createTemplate(getDb(), m.actor, { name: "T", kind: "loyalty" });
    const file = new File([new Uint8Array(makePng(750, 246, [1, 2, 3], 2 * 1024 * 1024))], "strip.png", { type: "image/png" });
    const result = await uploadTemplateImageAction(null, form({ id: template.id, slot: "strip", file }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { file: "validation.fileTooLargeMb" }, params: { max: 1 } });
    expect(await storedFiles()).toBe(0);
  });

  it("refuses a certificate file over its limit next to the field", async () => {
    const big = new File([new Uint8Array(65 * 1024)], "cert.p12");
    const wwdr = new File(["-----BEGIN CERTIFICATE-----"], "wwdr.pem");
    const result = await uploadAppleCertificateAction(null, form({ format: "p12", p12: big, wwdr, password: "" }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { p12: "validation.fileTooLargeKb" }, params: { max: 64 } });
  });

  it("stores a forged logo (PNG header, random bytes) nowhere, and says it is damaged", async () => {
    const forged = new File([new Uint8Array(Buffer.concat([makePng(128, 128).subarray(0, 33), randomBytes(50_000)]))], "logo.png", { type: "image/png" });
    expect(await uploadLogoAction(null, form({ logo: forged }))).toMatchObject({ ok: false, fieldErrors: { logo: "validation.imageCorrupt" } });
    expect(await storedFiles()).toBe(0);
  });

  it("stores a template image as the re-encoded PNG, not the uploaded bytes", async () => {
    const template = await createTemplate(getDb(), m.actor, { name: "T", kind: "loyalty" });
    const upload = makePng(160, 50, [9, 9, 9], 30_000);
    const result = await uploadTemplateImageAction(
      null,
      form({ id: template.id, slot: "logo", file: new File([new Uint8Array(upload)], "logo.png", { type: "image/png" }) }),
    );
    expect(result.ok).toBe(true);
    const fileId = (result as { data: { fileId: string } }).data.fileId;
    const [row] = await getDb().select().from(files).where(eq(files.id, fileId));
    expect(row.contentType).toBe("image/png");
    expect(row.byteSize).toBeLessThan(upload.length - 29_000);
  });
});
