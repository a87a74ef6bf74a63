import "server-only";
import forge from "node-forge";
import { AppError } from "@/lib/errors";
import { UID_OID, type AppleSigningMaterial } from "./dev-certificate";


const refuse = (field: string, message: string, params: Record<string, string | number> = {}) => new AppError("validation", message, { [field]: message }, params);

function readCertificate(data: Buffer, field: string): forge.pki.Certificate {
  const text = data.toString("utf8");
  try {
    if (text.includes("-----BEGIN CERTIFICATE-----")) return forge.pki.certificateFromPem(text);
    return forge.pki.certificateFromAsn1(forge.asn1.fromDer(data.toString("binary")));
  } catch {
    throw refuse(field, "certificates.errors.notCertificate");
  }
}

export type AppleCertificateUpload =
  | { format: "p12"; p12: Buffer; password: string; wwdr: Buffer }
  | { format: "pem"; certificate: Buffer; key: Buffer; keyPassword: string; wwdr: Buffer };

/**
 * Reads an uploaded pass type certificate (a .p12 with its password, or certificate + key PEM) with
 * Apple's WWDR intermediate, and checks what signing would otherwise fail on later: the key matches
 * the certificate, it is a Pass Type ID certificate, it is in date, and the WWDR issued it.
 */
export function parseAppleCertificate(upload: AppleCertificateUpload, now = new Date()): AppleSigningMaterial {
  let cert: forge.pki.Certificate;
  let key: forge.pki.rsa.PrivateKey;
  if (upload.format === "p12") {
    let p12: forge.pkcs12.Pkcs12Pfx;
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(upload.p12.toString("binary")), upload.password);
    } catch {
      throw refuse("p12", "certificates.errors.p12");
    }
    const keyBag =
      p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0] ?? p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag]?.[0];
    if (!keyBag?.key) throw refuse("p12", "certificates.errors.p12Contents");
    key = keyBag.key as forge.pki.rsa.PrivateKey;
    // A .p12 exported with its chain also holds the WWDR certificate: take the one the key belongs to.
    const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
    if (!certs.length) throw refuse("p12", "certificates.errors.p12Contents");
    cert = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n?.compareTo(key.n) === 0) ?? certs[0];
  } else {
    cert = readCertificate(upload.certificate, "certificate");
    try {
      const pem = upload.key.toString("utf8");
      const parsed = pem.includes("ENCRYPTED") ? forge.pki.decryptRsaPrivateKey(pem, upload.keyPassword) : forge.pki.privateKeyFromPem(pem);
      if (!parsed) throw new Error("wrong passphrase");
      key = parsed as forge.pki.rsa.PrivateKey;
    } catch {
      throw refuse("key", "certificates.errors.key");
    }
  }
  const wwdr = readCertificate(upload.wwdr, "wwdr");

  const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
  if (!publicKey.n || publicKey.n.compareTo(key.n) !== 0) throw refuse(upload.format === "p12" ? "p12" : "key", "certificates.errors.keyMismatch");
  const passTypeId = String(cert.subject.getField({ type: UID_OID })?.value ?? "");
  const teamId = String(cert.subject.getField("OU")?.value ?? "");
  if (!passTypeId.startsWith("pass.") || !teamId) throw refuse(upload.format === "p12" ? "p12" : "certificate", "certificates.errors.notPassType");
  if (cert.validity.notBefore > now) throw refuse(upload.format === "p12" ? "p12" : "certificate", "certificates.errors.notYetValid", { date: cert.validity.notBefore.toISOString().slice(0, 10) });
  if (cert.validity.notAfter < now) throw refuse(upload.format === "p12" ? "p12" : "certificate", "certificates.errors.expired", { date: cert.validity.notAfter.toISOString().slice(0, 10) });
  let issued = false;
  try {
    issued = wwdr.verify(cert);
  } catch {
    issued = false;
  }
  if (!issued) throw refuse("wwdr", "certificates.errors.wwdrMismatch");

  return {
    passTypeId,
    teamId,
    signerCertPem: forge.pki.certificateToPem(cert),
    signerKeyPem: forge.pki.privateKeyToPem(key),
    wwdrPem: forge.pki.certificateToPem(wwdr),
    expiresAt: cert.validity.notAfter,
  };
}
