import "server-only";
import forge from "node-forge";

/*
 * How much key derivation an upload may ask for. openssl (1.x and 3.x) and macOS Keychain export
 * .p12 files with about 2,000 iterations, Java's keytool with 10,000; 200,000 per count is a hundred
 * times the usual and still allows files hardened by hand. node-forge derives in pure JavaScript at
 * about 4 µs an iteration (a PKCS#12-PBE bag costs two derivations, its key and its IV), so the total
 * of 600,000 keeps the worst accepted file to about 2.5 s of a worker thread, under the worker's 5 s
 * limit. The probe's file (3,000,000 per count) took 31 s on the event loop.
 */
export const MAX_KDF_ITERATIONS = 200_000;
export const MAX_TOTAL_KDF_ITERATIONS = 600_000;

const { asn1 } = forge;
const OID = {
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
};
// PKCS#12 PBE (…12.1.1–6) derives a key and an IV: two derivations of `iterations` each.
const PKCS12_PBE = /^1\.2\.840\.113549\.1\.12\.1\.[1-6]$/;
// PBES1 (…5.1, 3, 4, 6, 10, 11): one PBKDF1 derivation.
const PBES1 = /^1\.2\.840\.113549\.1\.5\.(1|3|4|6|10|11)$/;

/** One key derivation the file asks for: its iteration count and how many times it runs. */
export type KdfCost = { iterations: number; runs: number };

export class KdfLimitError extends Error {
  constructor(readonly iterations: number) {
    super("key derivation limit");
  }
}

type Node = forge.asn1.Asn1;
const children = (n: Node | undefined): Node[] => (n && Array.isArray(n.value) ? (n.value as Node[]) : []);
const oidOf = (n: Node | undefined) => (n && n.type === asn1.Type.OID && typeof n.value === "string" ? asn1.derToOid(n.value) : null);

/** A DER INTEGER as a count; negative or absurdly long ones become Infinity (refused). */
function count(n: Node | undefined): number {
  if (!n || n.type !== asn1.Type.INTEGER || typeof n.value !== "string") throw new Error("not an INTEGER");
  const bytes = n.value;
  if (bytes.length && bytes.charCodeAt(0) & 0x80) return Infinity;
  const digits = bytes.replace(/^\x00+/, "");
  if (digits.length > 6) return Infinity;
  let v = 0;
  for (let i = 0; i < digits.length; i++) v = v * 256 + digits.charCodeAt(i);
  return v;
}

/** An OCTET STRING's bytes, also when BER splits it into chunks (as forge accepts). */
function octets(n: Node | undefined): string {
  if (!n || n.type !== asn1.Type.OCTETSTRING) throw new Error("not an OCTET STRING");
  return typeof n.value === "string"
    ? n.value
    : children(n)
        .map((c) => octets(c))
        .join("");
}

/** The derivations an AlgorithmIdentifier of a password-based cipher asks for; none for other algorithms. */
function algorithmCosts(alg: Node | undefined): KdfCost[] {
  const [idNode, params] = children(alg);
  const id = oidOf(idNode);
  if (!id) throw new Error("no algorithm");
  if (id === OID.pbes2) {
    const [kdf] = children(params);
    const [kdfId, kdfParams] = children(kdf);
    if (oidOf(kdfId) !== OID.pbkdf2) return [];
    return [{ iterations: count(children(kdfParams)[1]), runs: 1 }];
  }
  if (PKCS12_PBE.test(id)) return [{ iterations: count(children(params)[1]), runs: 2 }];
  if (PBES1.test(id)) return [{ iterations: count(children(params)[1]), runs: 1 }];
  return [];
}

function contentOf(contentInfo: Node): Node | undefined {
  return children(children(contentInfo)[1])[0];
}

function safeContentsCosts(der: string): KdfCost[] {
  return children(asn1.fromDer(der)).flatMap((bag) => {
    const [bagId, value] = children(bag);
    return oidOf(bagId) === OID.shroudedKeyBag ? algorithmCosts(children(children(value)[0])[0]) : [];
  });
}

/**
 * Every key derivation a .p12 asks for that can be read without deriving anything: the MAC's, the key
 * bags' and the encrypted bags'. A bag hidden inside an encrypted bag is only known after decryption;
 * the worker's guard counts those as they run. Throws if the structure cannot be read.
 */
export function pkcs12KdfCosts(der: Buffer): KdfCost[] {
  const pfx = asn1.fromDer(der.toString("binary"));
  const [, authSafe, macData] = children(pfx);
  const costs: KdfCost[] = [];
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  if (macData) {
    const macIterations = children(macData)[2];
    costs.push({ iterations: macIterations ? count(macIterations) : 1, runs: 1 });
  }
  if (oidOf(children(authSafe)[0]) !== OID.data) throw new Error("unsupported PKCS#12 integrity mode");
  for (const contentInfo of children(asn1.fromDer(octets(contentOf(authSafe))))) {
    const type = oidOf(children(contentInfo)[0]);
    if (type === OID.data) costs.push(...safeContentsCosts(octets(contentOf(contentInfo))));
    // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo ::= SEQUENCE { contentType, algorithm, [0] content } }
    else if (type === OID.encryptedData) costs.push(...algorithmCosts(children(children(contentOf(contentInfo))[1])[1]));
  }
  return costs;
}

/** The derivation an encrypted PKCS#8 PEM key asks for (none for legacy or clear PEM keys, which derive once or not at all). */
export function pemKeyKdfCosts(pem: string): KdfCost[] {
  if (!pem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----")) return [];
  const [block] = forge.pem.decode(pem);
  return algorithmCosts(children(asn1.fromDer(block.body))[0]);
}

/** Throws KdfLimitError when one count or their total is beyond the bounds above. */
export function assertKdfCosts(costs: KdfCost[]): void {
  let total = 0;
  for (const c of costs) {
    if (!(c.iterations <= MAX_KDF_ITERATIONS)) throw new KdfLimitError(c.iterations);
    total += c.iterations * c.runs;
  }
  if (total > MAX_TOTAL_KDF_ITERATIONS) throw new KdfLimitError(Math.max(...costs.map((c) => c.iterations)));
}
