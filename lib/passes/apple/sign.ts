import "server-only";
import { constants, createPrivateKey, privateEncrypt } from "node:crypto";
import forge from "node-forge";
import type { AppleSigningMaterial } from "./dev-certificate";

// DER prefix of a SHA-256 DigestInfo: RSASSA-PKCS1-v1_5 signs DigestInfo(sha256, digest).
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/**
 * Signs manifest.json as Apple wants (detached PKCS#7 SignedData with content type, digest and
 * signing time, the WWDR and signer certificates included). forge builds the structure; the RSA
 * operation, which forge would do in pure JavaScript, runs in Node's native crypto. Certificates are
 * parsed once per signer, not once per pass.
 */
export function createManifestSigner(material: Pick<AppleSigningMaterial, "signerCertPem" | "signerKeyPem" | "wwdrPem">): (manifest: Buffer) => Buffer {
  const signerCert = forge.pki.certificateFromPem(material.signerCertPem);
  const wwdr = forge.pki.certificateFromPem(material.wwdrPem);
  const nativeKey = createPrivateKey(material.signerKeyPem);
  const key = {
    sign(md: forge.md.MessageDigest) {
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), "binary")]);
      return privateEncrypt({ key: nativeKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString("binary");
    },
  };
  return (manifest) => {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(manifest.toString("binary"));
    p7.addCertificate(wwdr);
    p7.addCertificate(signerCert);
    p7.addSigner({
      key: key as unknown as forge.pki.rsa.PrivateKey,
      certificate: signerCert,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        { type: forge.pki.oids.signingTime },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), "binary");
  };
}
