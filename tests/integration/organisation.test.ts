import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLog, files } from "@/db/schema";
import { readFile, validateImage } from "@/lib/files";
import { getMerchantOrThrow, replaceMerchantLogo, updateOrganisation } from "@/lib/merchants";
import { createTestMerchant } from "../factories";
import { makePng } from "../fixtures/png";

function png(side: number, paddingBytes = 0): File {
  return new File([new Uint8Array(makePng(side, side, [37, 99, 235], paddingBytes))], "logo.png", { type: "image/png" });
}

const rules = { maxBytes: 1024 * 1024, minWidth: 64, minHeight: 64, maxWidth: 4096, maxHeight: 4096 };

describe("organisation settings", () => {
  it("updates the details with an audit entry, and only for the caller's merchant", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const input = {
      name: "Renamed",
      legalName: "LLC Renamed",
      taxId: "7707083893",
      legalAddress: "",
      contactEmail: "",
      contactPhone: "",
      timeZone: "Asia/Almaty",
      currency: "KZT" as const,
    };
    const after = await updateOrganisation(getDb(), a.actor, input);
    expect(after).toMatchObject({ name: "Renamed", legalAddress: null, timeZone: "Asia/Almaty", currency: "KZT" });
    expect((await getMerchantOrThrow(getDb(), b.merchant.id)).name).toBe(b.merchant.name);
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.merchantId, a.merchant.id));
    expect(audit.map((x) => x.action)).toContain("merchant.update");
  });

  it("stores a valid logo, serves it by id, and deletes the old file when replaced", async () => {
    const { actor, merchant } = await createTestMerchant();
    const { buf, info } = await validateImage("logo", png(128), rules);
    const first = (await replaceMerchantLogo(getDb(), actor, { buf, contentType: info.type })).logoFileId!;
    const stored = await readFile(getDb(), first);
    expect(stored?.contentType).toBe("image/png");
    expect(Buffer.compare(stored!.data, buf)).toBe(0);

    const second = (await replaceMerchantLogo(getDb(), actor, { buf, contentType: info.type })).logoFileId!;
    expect(second).not.toBe(first);
    expect(await readFile(getDb(), first)).toBeUndefined();
    await replaceMerchantLogo(getDb(), actor, null);
    expect((await getMerchantOrThrow(getDb(), merchant.id)).logoFileId).toBeNull();
    expect(await readFile(getDb(), second)).toBeUndefined();
  });

  it.each([
    ["too small", png(16), "validation.imageDimensions"],
    ["too large in bytes", png(128, 3 * 1024 * 1024), "validation.fileTooLargeMb"],
    ["not an image", new File(["hello"], "logo.png", { type: "image/png" }), "validation.imageType"],
  ])("refuses a logo that is %s with a message naming the problem", async (_what, file, message) => {
    const before = (await getDb().select({ id: files.id }).from(files)).length;
    await expect(validateImage("logo", file, rules)).rejects.toMatchObject({ fieldErrors: { logo: message } });
    expect((await getDb().select({ id: files.id }).from(files)).length).toBe(before);
  });
});
