import "server-only";
import { X509Certificate } from "node:crypto";
import { APPLE_ROOTS, APPLE_WWDR_INTERMEDIATES } from "./apple-ca";

/** What a chain is checked against. Production uses Apple's roots only; tests pass their own root here. */
export type AppleTrust = { extraRoots?: readonly string[] };

const WWDR_NAME = /^CN=Apple Worldwide Developer Relations (Certification Authority|CA - G\d+)$/m;

function parse(pemOrDer: string | Buffer): X509Certificate | null {
  try {
    return new X509Certificate(pemOrDer);
  } catch {
    return null;
  }
}

const inDate = (c: X509Certificate, now: Date) => Date.parse(c.validFrom) <= now.getTime() && now.getTime() <= Date.parse(c.validTo);

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/**
 * The WWDR intermediate that issued `leaf`, if it chains to one of Apple's roots: root → WWDR CA →
 * leaf, each signature verified, each certificate in date, the intermediate a CA named as Apple's WWDR.
 * Candidates are Apple's published intermediates and whatever the merchant uploaded alongside (a newer
 * generation); an uploaded one is trusted only through the root, never by itself. The intermediate's
 * signature is checked before its key is used, so no uploaded key is ever used unverified.
 */
export function findAppleIssuer(leafDer: Buffer, uploaded: readonly (string | Buffer)[], now: Date, trust: AppleTrust = {}): X509Certificate | null {
  const leaf = parse(leafDer);
  if (!leaf) return null;
  const roots = [...APPLE_ROOTS, ...(trust.extraRoots ?? [])].map(parse).filter((r): r is X509Certificate => !!r && inDate(r, now));
  const candidates = [...APPLE_WWDR_INTERMEDIATES, ...uploaded].map(parse).filter((c): c is X509Certificate => !!c);
  for (const wwdr of candidates) {
    if (!wwdr.ca || !inDate(wwdr, now) || !WWDR_NAME.test(wwdr.subject) || wwdr.checkIssued(wwdr)) continue;
    if (!leaf.checkIssued(wwdr)) continue;
    if (!roots.some((root) => issuedBy(wwdr, root))) continue;
    if (issuedBy(leaf, wwdr)) return wwdr;
  }
  return null;
}
