// Opens an uploaded .p12 or encrypted PEM key off the request thread: node-forge derives keys in pure
// JavaScript, and a file can ask for any number of rounds. Plain JavaScript with no project imports,
// because it is loaded by path (see certificate-parse-worker.ts), outside Next's bundle.
// @ts-check
import { parentPort, workerData } from "node:worker_threads";
import forge from "node-forge";

const { maxIterations, maxTotal } = workerData;

class LimitError extends Error {}

// The caller checked the counts it could read before starting this worker; a bag nested inside an
// encrypted bag is only seen here, so every derivation forge runs is counted against the same bounds.
let total = 0;
/** @param {number} iterations @param {number} runs */
function guard(iterations, runs) {
  total += iterations * runs;
  if (!(iterations >= 1 && iterations <= maxIterations) || total > maxTotal) throw new LimitError();
}
const pbkdf2 = forge.pkcs5.pbkdf2;
forge.pkcs5.pbkdf2 = /** @type {typeof pbkdf2} */ ((p, s, c, ...rest) => (guard(c, 1), pbkdf2(p, s, c, ...rest)));
const pkcs12Key = forge.pbe.generatePkcs12Key;
forge.pbe.generatePkcs12Key = (p, s, id, iter, ...rest) => (guard(iter, 1), pkcs12Key(p, s, id, iter, ...rest));
// pkcs12.js keeps its own reference for the MAC.
forge.pkcs12.generateKey = forge.pbe.generatePkcs12Key;

const der = (/** @type {forge.asn1.Asn1} */ a) => Buffer.from(forge.asn1.toDer(a).getBytes(), "binary").toString("base64");

/** @param {{ kind: "p12", p12: Uint8Array, password: string } | { kind: "key", pem: string, passphrase: string }} input */
function open(input) {
  if (input.kind === "key") {
    let key;
    try {
      key = input.pem.includes("ENCRYPTED") ? forge.pki.decryptRsaPrivateKey(input.pem, input.passphrase) : forge.pki.privateKeyFromPem(input.pem);
    } catch (err) {
      if (err instanceof LimitError) throw err;
      key = null;
    }
    if (!key) return { ok: false, error: "key" };
    return { ok: true, keyPem: forge.pki.privateKeyToPem(key), certs: [] };
  }
  let p12;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(input.p12).toString("binary")), input.password);
  } catch (err) {
    if (err instanceof LimitError) throw err;
    return { ok: false, error: "p12" };
  }
  const { pkcs8ShroudedKeyBag, keyBag, certBag } = forge.pki.oids;
  const bag = p12.getBags({ bagType: pkcs8ShroudedKeyBag })[pkcs8ShroudedKeyBag]?.[0] ?? p12.getBags({ bagType: keyBag })[keyBag]?.[0];
  if (!bag?.key) return { ok: false, error: "p12Contents" };
  // Certificates as DER: forge reads only RSA ones, and a chain may hold an ECC intermediate.
  const certs = (p12.getBags({ bagType: certBag })[certBag] ?? []).flatMap((b) =>
    b.cert ? [der(forge.pki.certificateToAsn1(b.cert))] : b.asn1 ? [der(b.asn1)] : [],
  );
  return { ok: true, keyPem: forge.pki.privateKeyToPem(/** @type {forge.pki.rsa.PrivateKey} */ (bag.key)), certs };
}

try {
  parentPort?.postMessage(open(workerData.input));
} catch (err) {
  parentPort?.postMessage(
    err instanceof LimitError ? { ok: false, error: "iterations" } : { ok: false, error: workerData.input.kind === "key" ? "key" : "p12" },
  );
}
