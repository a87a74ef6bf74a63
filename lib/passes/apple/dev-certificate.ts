import "server-only";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

export type AppleSigningMaterial = {
  passTypeId: string;
  teamId: string;
  signerCertPem: string;
  signerKeyPem: string;
  wwdrPem: string;
  expiresAt: Date;
};

export const DEV_TEAM_ID = "DEVCARDDSK";

/** Apple writes the pass type identifier into the certificate's UID attribute. */
export const UID_OID = "0.9.2342.19200300.100.1.1";

function keyPair() {
  // Node's native RSA is much faster than forge's pure-JS generator.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
  };
}

function certificate(
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  publicKey: forge.pki.PublicKey,
  signWith: forge.pki.rsa.PrivateKey,
  ca: boolean,
  years: number,
) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + years * 365 * 24 * 3600 * 1000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(
    ca
      ? [
          { name: "basicConstraints", cA: true },
          { name: "keyUsage", keyCertSign: true, cRLSign: true },
        ]
      : [
          { name: "basicConstraints", cA: false },
          { name: "keyUsage", digitalSignature: true },
        ],
  );
  cert.sign(signWith, forge.md.sha256.create());
  return cert;
}

/**
 * A development pass certificate shaped like Apple's (UID = pass type id, OU = team id) under a
 * local stand-in for the WWDR CA. Passes signed with it build and verify, but iPhones refuse them.
 */
export function generateDevelopmentCertificate(merchantSlug: string): AppleSigningMaterial {
  const passTypeId = `pass.dev.carddesk.${merchantSlug.replace(/[^a-z0-9-]/gi, "").toLowerCase() || "merchant"}`;
  const ca = keyPair();
  const caName = [
    { name: "commonName", value: "CardDesk Development Pass CA (not Apple)" },
    { name: "organizationName", value: "CardDesk development" },
  ];
  const caCert = certificate(caName, caName, ca.publicKey, ca.privateKey, true, 10);
  const signer = keyPair();
  const signerCert = certificate(
    [
      { type: UID_OID, value: passTypeId },
      { name: "commonName", value: `Pass Type ID: ${passTypeId}` },
      { name: "organizationalUnitName", value: DEV_TEAM_ID },
      { name: "organizationName", value: "CardDesk development" },
    ],
    caName,
    signer.publicKey,
    ca.privateKey,
    false,
    5,
  );
  return {
    passTypeId,
    teamId: DEV_TEAM_ID,
    signerCertPem: forge.pki.certificateToPem(signerCert),
    signerKeyPem: forge.pki.privateKeyToPem(signer.privateKey),
    wwdrPem: forge.pki.certificateToPem(caCert),
    expiresAt: signerCert.validity.notAfter,
  };
}
