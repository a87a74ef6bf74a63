import "server-only";
import forge from "node-forge";
import { AppError } from "@/lib/errors";
import { findAppleIssuer, type AppleTrust } from "./apple-chain";
import { openInWorker, type WorkerInput } from "./certificate-parse-worker";
import { UID_OID, type AppleSigningMaterial } from "./dev-certificate";
import { assertKdfCosts, KdfLimitError, MAX_KDF_ITERATIONS, pemKeyKdfCosts, pkcs12KdfCosts } from "./kdf-limits";

const refuse = (field: string, message: string, params: Record<string, string | number> = {}) =>
  new AppError("validation", message, { [field]: message }, params);

function readCertificate(data: Buffer, field: string): forge.pki.Certificate {
  const text = data.toString("utf8");
  try {
    if (text.includes("-----BEGIN CERTIFICATE-----")) return forge.pki.certificateFromPem(text);
    return forge.pki.certificateFromAsn1(forge.asn1.fromDer(data.toString("binary")));
  } catch {
    throw refuse(field, "certificates.errors.notCertificate");
  }
}

const toDer = (cert: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");

export type AppleCertificateUpload =
  { format: "p12"; p12: Buffer; password: string; wwdr?: Buffer } | { format: "pem"; certificate: Buffer; key: Buffer; keyPassword: string; wwdr?: Buffer };

export type ParseOptions = { now?: Date; trust?: AppleTrust; timeLimitMs?: number };

/**
 * Counts the key derivations the file asks for before anything is derived, then opens it in a worker
 * thread with a time limit: no upload can hold the event loop. Gives back the key and the certificates.
 */
async function openKeyMaterial(upload: AppleCertificateUpload, timeLimitMs?: number): Promise<{ key: forge.pki.rsa.PrivateKey; certs: Buffer[] }> {
  const field = upload.format === "p12" ? "p12" : "key";
  let input: WorkerInput;
  try {
    if (upload.format === "p12") {
      assertKdfCosts(pkcs12KdfCosts(upload.p12));
      input = { kind: "p12", p12: upload.p12, password: upload.password };
    } else {
      const pem = upload.key.toString("utf8");
      assertKdfCosts(pemKeyKdfCosts(pem));
      input = { kind: "key", pem, passphrase: upload.keyPassword };
    }
  } catch (err) {
    if (err instanceof KdfLimitError) throw refuse(field, "certificates.errors.iterations", { max: MAX_KDF_ITERATIONS });
    throw refuse(field, upload.format === "p12" ? "certificates.errors.p12" : "certificates.errors.key");
  }
  const result = await openInWorker(input, timeLimitMs);
  if (!result.ok) {
    const message = { p12: "p12", p12Contents: "p12Contents", key: "key", iterations: "iterations", timeout: "tooSlow", busy: "busy" }[result.error];
    throw refuse(field, `certificates.errors.${message}`, result.error === "iterations" ? { max: MAX_KDF_ITERATIONS } : {});
  }
  return { key: forge.pki.privateKeyFromPem(result.keyPem) as forge.pki.rsa.PrivateKey, certs: result.certs.map((c) => Buffer.from(c, "base64")) };
}

function rsaCertificate(der: Buffer): forge.pki.Certificate | null {
  try {
    return forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString("binary")));
  } catch {
    return null;
  }
}

/**
 * Reads an uploaded pass type certificate (a .p12 with its password, or certificate + key PEM) and
 * checks what signing would otherwise fail on later, and what makes it the merchant's own: the key
 * matches the certificate, it is a Pass Type ID certificate, it is in date, and it chains to Apple's
 * root through a WWDR intermediate (Apple's, shipped in the code, or one uploaded alongside). Anything
 * else is refused, whatever it calls itself.
 */
export async function parseAppleCertificate(upload: AppleCertificateUpload, options: ParseOptions = {}): Promise<AppleSigningMaterial> {
  const now = options.now ?? new Date();
  const certField = upload.format === "p12" ? "p12" : "certificate";
  const opened = await openKeyMaterial(upload, options.timeLimitMs);
  const key = opened.key;
  let cert: forge.pki.Certificate;
  // A .p12 exported with its chain also holds the WWDR certificate: take the one the key belongs to.
  const bundled = opened.certs;
  if (upload.format === "p12") {
    const certs = bundled.map(rsaCertificate).filter((c): c is forge.pki.Certificate => !!c);
    if (!certs.length) throw refuse("p12", "certificates.errors.p12Contents");
    cert = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.compareTo(key.n) === 0) ?? certs[0];
  } else {
    cert = readCertificate(upload.certificate, "certificate");
  }

  const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
  if (!publicKey.n || publicKey.n.compareTo(key.n) !== 0) throw refuse(upload.format === "p12" ? "p12" : "key", "certificates.errors.keyMismatch");
  const passTypeId = String(cert.subject.getField({ type: UID_OID })?.value ?? "");
  const teamId = String(cert.subject.getField("OU")?.value ?? "");
  if (!passTypeId.startsWith("pass.") || !teamId) throw refuse(certField, "certificates.errors.notPassType");
  if (cert.validity.notBefore > now) throw refuse(certField, "certificates.errors.notYetValid", { date: cert.validity.notBefore.toISOString().slice(0, 10) });
  if (cert.validity.notAfter < now) throw refuse(certField, "certificates.errors.expired", { date: cert.validity.notAfter.toISOString().slice(0, 10) });

  if (upload.wwdr) readCertificate(upload.wwdr, "wwdr");
  const issuer = findAppleIssuer(toDer(cert), [...(upload.wwdr ? [upload.wwdr] : []), ...bundled], now, options.trust);
  if (!issuer) throw refuse(upload.wwdr ? "wwdr" : certField, "certificates.errors.notApple");
  // Passes are signed with forge, which reads RSA certificates only; Apple issues pass certificates from G4 (RSA).
  const wwdr = rsaCertificate(issuer.raw);
  if (!wwdr) throw refuse(certField, "certificates.errors.wwdrUnsupported");

  return {
    passTypeId,
    teamId,
    signerCertPem: forge.pki.certificateToPem(cert),
    signerKeyPem: forge.pki.privateKeyToPem(key),
    wwdrPem: forge.pki.certificateToPem(wwdr),
    expiresAt: cert.validity.notAfter,
  };
}
