import { randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLog, files } from "@/db/schema";
import { readFile, saveFile, validateImage } from "@/lib/files";
import { getMerchantOrThrow, setMerchantLogo, updateOrganisation } from "@/lib/merchants";
import { createTestMerchant } from "../factories";

function png(side: number, padTo = 0): File {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.alloc(4))), chunk("tEXt", randomBytes(padTo)), chunk("IEND", Buffer.alloc(0))]);
  return new File([bytes], "logo.png", { type: "image/png" });
}

const rules = { maxBytes: 1024 * 1024, minSide: 64, maxSide: 4096 };

describe("organisation settings", () => {
  it("updates the details with an audit entry, and only for the caller's merchant", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const input = { name: "Renamed", legalName: "LLC Renamed", taxId: "7707083893", legalAddress: "", contactEmail: "", contactPhone: "", timeZone: "Asia/Almaty", currency: "KZT" as const };
    const after = await updateOrganisation(getDb(), a.actor, input);
    expect(after).toMatchObject({ name: "Renamed", legalAddress: null, timeZone: "Asia/Almaty", currency: "KZT" });
    expect((await getMerchantOrThrow(getDb(), b.merchant.id)).name).toBe(b.merchant.name);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.merchantId, a.merchant.id));
    expect(audit.map((x) => x.action)).toContain("merchant.update");
  });

  it("stores a valid logo and serves it by id", async () => {
    const { actor, merchant } = await createTestMerchant();
    const { buf, info } = await validateImage("logo", png(128), rules);
    const id = await saveFile(getDb(), merchant.id, buf, info.type);
    await setMerchantLogo(getDb(), actor, id);
    expect((await getMerchantOrThrow(getDb(), merchant.id)).logoFileId).toBe(id);
    const stored = await readFile(getDb(), id);
    expect(stored?.contentType).toBe("image/png");
    expect(Buffer.compare(stored!.data, buf)).toBe(0);
  });

  it.each([
    ["too small", png(16), "validation.imageDimensions"],
    ["too large in bytes", png(128, 3 * 1024 * 1024), "validation.imageTooLarge"],
    ["not an image", new File(["hello"], "logo.png", { type: "image/png" }), "validation.imageType"],
  ])("refuses a logo that is %s with a message naming the problem", async (_what, file, message) => {
    const before = (await getDb().select({ id: files.id }).from(files)).length;
    await expect(validateImage("logo", file, rules)).rejects.toMatchObject({ fieldErrors: { logo: message } });
    expect((await getDb().select({ id: files.id }).from(files)).length).toBe(before);
  });
});
