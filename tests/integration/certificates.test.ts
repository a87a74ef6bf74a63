import { createHash, X509Certificate } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { getDb } from "@/db";
import { merchantCredentials } from "@/db/schema";
import {
  getAppleCertificateStatus,
  removeAppleCertificate,
  removeUntrustedAppleCertificates,
  saveAppleCertificate,
  warnExpiringCertificates,
} from "@/lib/certificates";
import { listNotifications } from "@/lib/notifications";
import { APPLE_ROOT_CA, APPLE_ROOT_CA_G3, APPLE_WWDR_G2, APPLE_WWDR_G3, APPLE_WWDR_G4, APPLE_WWDR_G5, APPLE_WWDR_G6 } from "@/lib/passes/apple/apple-ca";
import { openInWorker } from "@/lib/passes/apple/certificate-parse-worker";
import { parseAppleCertificate } from "@/lib/passes/apple/certificate-upload";
import { MAX_KDF_ITERATIONS } from "@/lib/passes/apple/kdf-limits";
import { forgetAppleSigner, getAppleSigner } from "@/lib/passes/apple/signer";
import { createTestMerchant } from "../factories";
import { appleLike, withIterations } from "../fixtures/apple-cert";

const DAY = 86_400_000;
type Chain = ReturnType<typeof appleLike>;

const pemUpload = (c: Chain, extra: Partial<{ certificate: Buffer; key: Buffer; keyPassword: string; wwdr: Buffer }> = {}) => ({
  format: "pem" as const,
  certificate: c.certPem,
  key: c.keyPem,
  keyPassword: "",
  wwdr: c.wwdrPem,
  ...extra,
});

describe("Apple certificate upload", () => {
  it("reads a .p12 and a PEM pair chained to a trusted root, with the WWDR as PEM, DER or inside the .p12", async () => {
    const chain = appleLike();
    const fromP12 = await parseAppleCertificate({ format: "p12", p12: chain.p12("secret"), password: "secret", wwdr: chain.wwdrDer }, { trust: chain.trust });
    expect(fromP12).toMatchObject({ passTypeId: "pass.com.example.coffee", teamId: "ABCDE12345" });
    expect(new X509Certificate(fromP12.wwdrPem).subject).toContain("CN=Apple Worldwide Developer Relations Certification Authority");
    const fromPem = await parseAppleCertificate(pemUpload(chain), { trust: chain.trust });
    expect(fromPem.signerCertPem).toBe(fromP12.signerCertPem);
    const bundled = await parseAppleCertificate(
      { format: "p12", p12: chain.p12("pw", { chain: true, algorithm: "aes256" }), password: "pw" },
      { trust: chain.trust },
    );
    expect(bundled.wwdrPem).toBe(fromP12.wwdrPem);
    const encryptedKey = await parseAppleCertificate(pemUpload(chain, { key: chain.encryptedKeyPem("kp"), keyPassword: "kp" }), { trust: chain.trust });
    expect(encryptedKey.signerKeyPem).toBe(fromP12.signerKeyPem);
  });

  it.each([
    [
      "a wrong .p12 password",
      (c: Chain) => ({ format: "p12" as const, p12: c.p12("right"), password: "wrong", wwdr: c.wwdrPem }),
      "p12",
      "certificates.errors.p12",
    ],
    ["a key of another certificate", (c: Chain) => pemUpload(c, { key: appleLike().keyPem }), "key", "certificates.errors.keyMismatch"],
    ["a wrong key passphrase", (c: Chain) => pemUpload(c, { key: c.encryptedKeyPem("right"), keyPassword: "wrong" }), "key", "certificates.errors.key"],
    ["a WWDR of another chain", (c: Chain) => pemUpload(c, { wwdr: appleLike().wwdrPem }), "wwdr", "certificates.errors.notApple"],
    ["a text file as certificate", (c: Chain) => pemUpload(c, { certificate: Buffer.from("hello") }), "certificate", "certificates.errors.notCertificate"],
  ])("refuses %s, naming the field", async (_what, upload, field, message) => {
    const chain = appleLike();
    await expect(parseAppleCertificate(upload(chain), { trust: chain.trust })).rejects.toMatchObject({ fieldErrors: { [field]: message } });
  });

  it("refuses an expired certificate and one that is not a Pass Type ID certificate", async () => {
    const expired = appleLike({ notAfter: new Date(Date.now() - DAY) });
    await expect(parseAppleCertificate(pemUpload(expired), { trust: expired.trust })).rejects.toMatchObject({ message: "certificates.errors.expired" });
    const other = appleLike({ passTypeId: null });
    await expect(parseAppleCertificate(pemUpload(other), { trust: other.trust })).rejects.toMatchObject({ message: "certificates.errors.notPassType" });
  });
});

describe("Apple certificates must chain to Apple's root", () => {
  it("refuses a certificate from a merchant's own CA presented as Apple's WWDR, however it is named", async () => {
    // The probe: B's own root and "WWDR", a certificate whose UID is A's pass type id.
    const forged = appleLike({ passTypeId: "pass.com.merchant-a.loyalty" });
    await expect(parseAppleCertificate(pemUpload(forged))).rejects.toMatchObject({ fieldErrors: { wwdr: "certificates.errors.notApple" } });
    await expect(parseAppleCertificate({ format: "p12", p12: forged.p12("pw", { chain: true }), password: "pw" })).rejects.toMatchObject({
      fieldErrors: { p12: "certificates.errors.notApple" },
    });
    // Trusting some other root does not help either.
    await expect(parseAppleCertificate(pemUpload(forged), { trust: appleLike().trust })).rejects.toMatchObject({ message: "certificates.errors.notApple" });
  });

  it("ships Apple's genuine root and WWDR intermediates: the published root fingerprints, each intermediate signed by its root", () => {
    const sha256 = (pem: string) => createHash("sha256").update(new X509Certificate(pem).raw).digest("hex").toUpperCase();
    expect(sha256(APPLE_ROOT_CA)).toBe("B0B1730ECBC7FF4505142C49F1295E6EDA6BCAED7E2C68C5BE91B5A11001F024");
    expect(sha256(APPLE_ROOT_CA_G3)).toBe("63343ABFB89A6A03EBB57E9B3F5FA7BE7C4F5C756F3017B3A8C488C3653E9179");
    const root = new X509Certificate(APPLE_ROOT_CA);
    const rootG3 = new X509Certificate(APPLE_ROOT_CA_G3);
    for (const [pem, issuer, ou] of [
      [APPLE_WWDR_G3, root, "G3"],
      [APPLE_WWDR_G4, root, "G4"],
      [APPLE_WWDR_G5, root, "G5"],
      [APPLE_WWDR_G6, rootG3, "G6"],
    ] as const) {
      const wwdr = new X509Certificate(pem);
      expect(wwdr.subject).toContain(`OU=${ou}`);
      expect(wwdr.verify(issuer.publicKey)).toBe(true);
    }
    expect(new X509Certificate(APPLE_WWDR_G2).verify(rootG3.publicKey)).toBe(true);
  });
});

describe("key derivation bounds: no upload blocks the event loop", () => {
  const huge = 3_000_000;

  it.each([
    ["a .p12 (PKCS#12 3DES, as openssl -legacy and Keychain)", "3des"],
    ["a .p12 (PBES2 AES, as openssl 3)", "aes256"],
  ] as const)("refuses %s asking for 3,000,000 rounds within a second, before deriving anything", async (_what, algorithm) => {
    const chain = appleLike();
    const p12 = withIterations((count) => chain.p12("pw", { count, algorithm }), huge);
    const started = performance.now();
    await expect(parseAppleCertificate({ format: "p12", p12, password: "pw" }, { trust: chain.trust })).rejects.toMatchObject({
      fieldErrors: { p12: "certificates.errors.iterations" },
      params: { max: MAX_KDF_ITERATIONS },
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses an encrypted PEM key asking for 3,000,000 rounds within a second", async () => {
    const chain = appleLike();
    const key = withIterations((count) => chain.encryptedKeyPem("kp", count), huge, "pem");
    const started = performance.now();
    await expect(parseAppleCertificate(pemUpload(chain, { key, keyPassword: "kp" }), { trust: chain.trust })).rejects.toMatchObject({
      fieldErrors: { key: "certificates.errors.iterations" },
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses inside the worker too, for derivations the first reading cannot see", async () => {
    const chain = appleLike();
    const p12 = withIterations((count) => chain.p12("pw", { count }), huge);
    const started = performance.now();
    expect(await openInWorker({ kind: "p12", p12, password: "pw" })).toEqual({ ok: false, error: "iterations" });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("opens a slow but allowed file off the event loop: timers keep firing and /api/health answers meanwhile; a time limit stops it", async () => {
    const chain = appleLike();
    const p12 = chain.p12("pw", { count: 100_000 }); // MAC + key and IV: 300,000 rounds in forge
    expect((await health()).status).toBe(200); // the first call starts the queue client; not what is measured
    const started = performance.now();
    let last = started;
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    try {
      let parsed = false;
      const parsing = parseAppleCertificate({ format: "p12", p12, password: "pw", wwdr: chain.wwdrPem }, { trust: chain.trust }).then(
        (m) => ((parsed = true), m),
      );
      const answer = await health();
      expect(answer.status).toBe(200);
      expect(parsed).toBe(false);
      expect((await parsing).passTypeId).toBe("pass.com.example.coffee");
    } finally {
      clearInterval(ticker);
    }
    // On the event loop the whole parse would be one gap; off it, the loop only waits for small steps.
    const parseMs = performance.now() - started;
    expect(longestGap).toBeLessThan(Math.min(300, parseMs / 2));

    await expect(parseAppleCertificate({ format: "p12", p12, password: "pw" }, { trust: chain.trust, timeLimitMs: 20 })).rejects.toMatchObject({
      fieldErrors: { p12: "certificates.errors.tooSlow" },
    });
  });
});

describe("saved certificates", () => {
  it("signs with the uploaded certificate once saved (sealed at rest), and falls back to development when removed", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const chain = appleLike();
    await saveAppleCertificate(
      db,
      actor,
      await parseAppleCertificate({ format: "p12", p12: chain.p12("pw"), password: "pw", wwdr: chain.wwdrPem }, { trust: chain.trust }),
    );
    const signer = await getAppleSigner(db, merchant.id);
    expect(signer).toMatchObject({ development: false, passTypeId: "pass.com.example.coffee", teamId: "ABCDE12345" });
    const [row] = await db.select().from(merchantCredentials).where(eq(merchantCredentials.merchantId, merchant.id));
    expect(row.sealed).not.toContain("BEGIN");
    expect(await getAppleCertificateStatus(db, merchant.id)).toMatchObject({ development: false, expiringSoon: false });

    await removeAppleCertificate(db, actor);
    forgetAppleSigner(merchant.id);
    expect((await getAppleSigner(db, merchant.id)).development).toBe(true);
    expect(await getAppleCertificateStatus(db, merchant.id)).toMatchObject({ development: true });
  });

  it("a certificate stored before chains were checked, not signed by a trusted root, is removed, with a notice and an activity entry", async () => {
    const db = getDb();
    const good = await createTestMerchant();
    const forged = await createTestMerchant();
    const trusted = appleLike({ passTypeId: `pass.com.example.genuine${Date.now()}` });
    const other = appleLike({ passTypeId: `pass.com.example.forged${Date.now()}` });
    await saveAppleCertificate(db, good.actor, await parseAppleCertificate(pemUpload(trusted), { trust: trusted.trust }));
    // As the probe's upload was stored before the fix: material whose "WWDR" is not under the trusted root.
    await saveAppleCertificate(db, forged.actor, await parseAppleCertificate(pemUpload(other), { trust: other.trust }));
    const scope = { trust: trusted.trust, merchantIds: [good.merchant.id, forged.merchant.id] };
    expect(await removeUntrustedAppleCertificates(db, scope)).toBe(1);
    expect(await removeUntrustedAppleCertificates(db, scope)).toBe(0);
    expect((await getAppleSigner(db, good.merchant.id)).development).toBe(false);
    expect((await getAppleSigner(db, forged.merchant.id)).development).toBe(true);
    const notes = (await listNotifications(db, forged.merchant.id, "active")).rows.filter((n) => n.kind === "certificateUntrusted");
    expect(notes).toHaveLength(1);
  });

  it("warns once in the top bar when the certificate expires within 30 days", async () => {
    const db = getDb();
    const { actor, merchant } = await createTestMerchant();
    const chain = appleLike({ notAfter: new Date(Date.now() + 10 * DAY), passTypeId: `pass.com.example.expiring${Date.now()}` });
    await saveAppleCertificate(db, actor, await parseAppleCertificate(pemUpload(chain), { trust: chain.trust }));
    await warnExpiringCertificates(db);
    await warnExpiringCertificates(db);
    const notes = (await listNotifications(db, merchant.id, "active")).rows.filter((n) => n.kind === "certificateExpiring");
    expect(notes).toHaveLength(1);
    expect(notes[0].level).toBe("warning");
    expect((await getAppleCertificateStatus(db, merchant.id))?.expiringSoon).toBe(true);
  });

  it("a pass type id belongs to one merchant: a second merchant uploading it is refused until the first removes it", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const passTypeId = `pass.com.example.shared${Date.now()}`;
    const chainA = appleLike({ passTypeId });
    await saveAppleCertificate(db, a.actor, await parseAppleCertificate(pemUpload(chainA), { trust: chainA.trust }));
    // A renews: the same id again is fine.
    await saveAppleCertificate(db, a.actor, await parseAppleCertificate(pemUpload(chainA), { trust: chainA.trust }));

    const chainB = appleLike({ passTypeId });
    const forB = await parseAppleCertificate(pemUpload(chainB), { trust: chainB.trust });
    await expect(saveAppleCertificate(db, b.actor, forB, { field: "certificate" })).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { certificate: "certificates.errors.passTypeTaken" },
      params: { passTypeId },
    });
    expect(await getAppleCertificateStatus(db, b.merchant.id)).toBeNull();

    await removeAppleCertificate(db, a.actor);
    await saveAppleCertificate(db, b.actor, forB);
    expect(await getAppleCertificateStatus(db, b.merchant.id)).toMatchObject({ passTypeId, development: false });

    // The development pass type id CardDesk made for A is A's too.
    forgetAppleSigner(a.merchant.id);
    const devId = (await getAppleSigner(db, a.merchant.id)).passTypeId;
    const chainDev = appleLike({ passTypeId: devId });
    await expect(saveAppleCertificate(db, b.actor, await parseAppleCertificate(pemUpload(chainDev), { trust: chainDev.trust }))).rejects.toMatchObject({
      message: "certificates.errors.passTypeTaken",
    });
  });

  it("the database refuses a second holder of a pass type id even past the check", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const passTypeId = `pass.com.example.race${Date.now()}`;
    const row = { kind: "apple" as const, sealed: "x", passTypeId, teamId: "T" };
    await db.insert(merchantCredentials).values({ merchantId: a.merchant.id, ...row });
    await expect(db.insert(merchantCredentials).values({ merchantId: b.merchant.id, ...row })).rejects.toThrow();
  });

  it("another merchant cannot remove it", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const chain = appleLike({ passTypeId: `pass.com.example.tenancy${Date.now()}` });
    await saveAppleCertificate(db, a.actor, await parseAppleCertificate(pemUpload(chain), { trust: chain.trust }));
    await expect(removeAppleCertificate(db, b.actor)).rejects.toMatchObject({ code: "not_found" });
    expect((await getAppleCertificateStatus(db, a.merchant.id))?.development).toBe(false);
    expect(await getAppleCertificateStatus(db, b.merchant.id)).toBeNull();
  });
});
