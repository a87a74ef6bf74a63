import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { merchantCredentials } from "@/db/schema";
import { getAppleCertificateStatus, removeAppleCertificate, saveAppleCertificate, warnExpiringCertificates } from "@/lib/certificates";
import { listNotifications } from "@/lib/notifications";
import { parseAppleCertificate } from "@/lib/passes/apple/certificate-upload";
import { forgetAppleSigner, getAppleSigner } from "@/lib/passes/apple/signer";
import { createTestMerchant } from "../factories";
import { appleLike } from "../fixtures/apple-cert";

const DAY = 86_400_000;

describe("Apple certificate upload", () => {
  it("reads a .p12 and a PEM pair, with the WWDR as PEM or DER", () => {
    const chain = appleLike();
    const fromP12 = parseAppleCertificate({ format: "p12", p12: chain.p12("secret"), password: "secret", wwdr: chain.wwdrDer });
    expect(fromP12).toMatchObject({ passTypeId: "pass.com.example.coffee", teamId: "ABCDE12345" });
    const fromPem = parseAppleCertificate({ format: "pem", certificate: chain.certPem, key: chain.keyPem, keyPassword: "", wwdr: chain.wwdrPem });
    expect(fromPem.signerCertPem).toBe(fromP12.signerCertPem);
  });

  it.each([
    ["a wrong .p12 password", (c: ReturnType<typeof appleLike>) => ({ format: "p12" as const, p12: c.p12("right"), password: "wrong", wwdr: c.wwdrPem }), "p12", "certificates.errors.p12"],
    ["a key of another certificate", (c: ReturnType<typeof appleLike>) => ({ format: "pem" as const, certificate: c.certPem, key: appleLike().keyPem, keyPassword: "", wwdr: c.wwdrPem }), "key", "certificates.errors.keyMismatch"],
    ["a WWDR that did not issue it", (c: ReturnType<typeof appleLike>) => ({ format: "pem" as const, certificate: c.certPem, key: c.keyPem, keyPassword: "", wwdr: appleLike().wwdrPem }), "wwdr", "certificates.errors.wwdrMismatch"],
    ["a text file as certificate", (c: ReturnType<typeof appleLike>) => ({ format: "pem" as const, certificate: Buffer.from("hello"), key: c.keyPem, keyPassword: "", wwdr: c.wwdrPem }), "certificate", "certificates.errors.notCertificate"],
  ])("refuses %s, naming the field", (_what, upload, field, message) => {
    expect(() => parseAppleCertificate(upload(appleLike()))).toThrow(expect.objectContaining({ fieldErrors: { [field]: message } }));
  });

  it("refuses an expired certificate and one that is not a Pass Type ID certificate", () => {
    const expired = appleLike({ notAfter: new Date(Date.now() - DAY) });
    expect(() => parseAppleCertificate({ format: "pem", certificate: expired.certPem, key: expired.keyPem, keyPassword: "", wwdr: expired.wwdrPem })).toThrow(
      expect.objectContaining({ message: "certificates.errors.expired" }),
    );
    const other = appleLike({ passTypeId: null });
    expect(() => parseAppleCertificate({ format: "pem", certificate: other.certPem, key: other.keyPem, keyPassword: "", wwdr: other.wwdrPem })).toThrow(
      expect.objectContaining({ message: "certificates.errors.notPassType" }),
    );
  });

  it("signs with the uploaded certificate once saved (sealed at rest), and falls back to development when removed", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const chain = appleLike();
    await saveAppleCertificate(db, actor, parseAppleCertificate({ format: "p12", p12: chain.p12("pw"), password: "pw", wwdr: chain.wwdrPem }));
    const signer = await getAppleSigner(db, merchant.id);
    expect(signer).toMatchObject({ development: false, passTypeId: "pass.com.example.coffee", teamId: "ABCDE12345" });
    const [row] = await db.select().from(merchantCredentials).where(eq(merchantCredentials.merchantId, merchant.id));
    expect(row.sealed).not.toContain("BEGIN");
    expect(await getAppleCertificateStatus(db, merchant.id)).toMatchObject({ development: false, expiringSoon: false });

    await removeAppleCertificate(db, actor);
    forgetAppleSigner(merchant.id);
    expect((await getAppleSigner(db, merchant.id)).development).toBe(true);
  });

  it("warns once in the top bar when the certificate expires within 30 days", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const chain = appleLike({ notAfter: new Date(Date.now() + 10 * DAY) });
    await saveAppleCertificate(db, actor, parseAppleCertificate({ format: "pem", certificate: chain.certPem, key: chain.keyPem, keyPassword: "", wwdr: chain.wwdrPem }));
    await warnExpiringCertificates(db);
    await warnExpiringCertificates(db);
    const notes = (await listNotifications(db, merchant.id, "active")).rows.filter((n) => n.kind === "certificateExpiring");
    expect(notes).toHaveLength(1);
    expect(notes[0].level).toBe("warning");
    expect((await getAppleCertificateStatus(db, merchant.id))?.expiringSoon).toBe(true);
  });

  it("another merchant cannot remove it", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const chain = appleLike();
    await saveAppleCertificate(db, a.actor, parseAppleCertificate({ format: "pem", certificate: chain.certPem, key: chain.keyPem, keyPassword: "", wwdr: chain.wwdrPem }));
    await expect(removeAppleCertificate(db, b.actor)).rejects.toMatchObject({ code: "not_found" });
    expect((await getAppleCertificateStatus(db, a.merchant.id))?.development).toBe(false);
    expect(await getAppleCertificateStatus(db, b.merchant.id)).toBeNull();
  });
});
