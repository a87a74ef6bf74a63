import "server-only";
import { createPublicKey, createVerify, type KeyObject } from "node:crypto";

// Google Wallet save/delete callbacks are Google Pay's PaymentMethodToken in its ECv2SigningOnly
// flavour. Google recommends verifying them with Tink's PaymentMethodTokenRecipient, which has no
// JavaScript port, so this is that algorithm on node:crypto (tink-crypto/tink,
// apps/paymentmethodtoken/PaymentMethodTokenRecipient.java + PaymentMethodTokenUtil.toLengthValue):
//   1. a root key from GOOGLE_ISSUER_KEYS_URL signs the intermediate key over
//      LV(senderId) || LV(protocolVersion) || LV(signedKey);
//   2. the intermediate key signs the message over
//      LV(senderId) || LV(recipientId) || LV(protocolVersion) || LV(signedMessage),
// where LV(s) is the UTF-8 byte length of s as 4 bytes little-endian followed by those bytes,
// senderId is "GooglePayPasses" and recipientId is the issuer id. Signatures are ECDSA P-256
// SHA-256, DER, base64; keys are SubjectPublicKeyInfo DER, base64.

export const GOOGLE_CALLBACK_SENDER_ID = "GooglePayPasses";
export const GOOGLE_CALLBACK_PROTOCOL = "ECv2SigningOnly";
export const GOOGLE_ISSUER_KEYS_URL = "https://pay.google.com/gp/m/issuer/keys";

/** One entry of the root keys document: `{ "keys": [GoogleRootKey, ...] }`. */
export type GoogleRootKey = { keyValue: string; protocolVersion: string; keyExpiration?: string };

export type GoogleCallbackEventType = "save" | "del";

export type GoogleCallbackMessage = {
  classId: string;
  objectId: string;
  eventType: GoogleCallbackEventType;
  expTimeMillis: number;
  /** Google may deliver one event more than once; the nonce is how duplicates are recognised. */
  nonce: string;
};

export type CallbackRejection = "malformed" | "protocol" | "intermediate_signature" | "intermediate_expired" | "message_signature" | "message_expired";

export class CallbackVerificationError extends Error {
  constructor(readonly reason: CallbackRejection) {
    super(`google wallet callback refused: ${reason}`);
    this.name = "CallbackVerificationError";
  }
}

type Json = Record<string, unknown>;
type CallbackBody = { protocolVersion: string; signature: Buffer; signedMessage: string; signedKey: string; keySignatures: Buffer[] };

const refuse = (reason: CallbackRejection): never => {
  throw new CallbackVerificationError(reason);
};

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The route may hand over the raw request text or an already parsed object. */
function asObject(value: unknown): Json {
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      refuse("malformed");
    }
  }
  return isObject(value) ? value : refuse("malformed");
}

function requireString(value: unknown): string {
  return typeof value === "string" && value.length > 0 ? value : refuse("malformed");
}

// Buffer.from(_, "base64") silently skips characters it does not know, so a mangled value would
// reach the verifier as different bytes; strict padded base64 is what Google sends.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(value: unknown): Buffer {
  const text = requireString(value);
  return BASE64.test(text) ? Buffer.from(text, "base64") : refuse("malformed");
}

/** Epoch milliseconds given as a JSON number or, as Google does for key expirations, a decimal string. */
function parseMillis(value: unknown): number | null {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "string" && /^\d{1,16}$/.test(value)) return Number(value);
  return null;
}

/** A base64 SubjectPublicKeyInfo that must hold a P-256 key; anything else is null. */
function importP256Key(keyValue: string): KeyObject | null {
  if (!BASE64.test(keyValue)) return null;
  try {
    const key = createPublicKey({ key: Buffer.from(keyValue, "base64"), format: "der", type: "spki" });
    return key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1" ? key : null;
  } catch {
    return null;
  }
}

/** Tink's toLengthValue: each chunk as its UTF-8 byte length (uint32 little-endian), then the bytes. */
export function lengthValue(...chunks: string[]): Buffer {
  return Buffer.concat(
    chunks.flatMap((chunk) => {
      const bytes = Buffer.from(chunk, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return [length, bytes];
    }),
  );
}

function verifies(key: KeyObject, signature: Buffer, data: Buffer): boolean {
  try {
    return createVerify("SHA256").update(data).verify({ key, dsaEncoding: "der" }, signature);
  } catch {
    return false;
  }
}

function parseBody(body: unknown): CallbackBody {
  const json = asObject(body);
  const intermediate = isObject(json.intermediateSigningKey) ? json.intermediateSigningKey : refuse("malformed");
  const signatures = Array.isArray(intermediate.signatures) && intermediate.signatures.length > 0 ? intermediate.signatures : refuse("malformed");
  return {
    protocolVersion: requireString(json.protocolVersion),
    signature: decodeBase64(json.signature),
    signedMessage: requireString(json.signedMessage),
    signedKey: requireString(intermediate.signedKey),
    keySignatures: signatures.map(decodeBase64),
  };
}

function parseMessage(signedMessage: string): GoogleCallbackMessage {
  const message = asObject(signedMessage);
  const eventType = message.eventType === "save" || message.eventType === "del" ? message.eventType : refuse("malformed");
  return {
    classId: requireString(message.classId),
    objectId: requireString(message.objectId),
    eventType,
    expTimeMillis: parseMillis(message.expTimeMillis) ?? refuse("malformed"),
    nonce: requireString(message.nonce),
  };
}

/** Root keys that may sign an intermediate key now: this protocol and, as Tink requires beyond ECv1, a future keyExpiration. */
function usableRootKeys(rootKeys: GoogleRootKey[], nowMs: number): KeyObject[] {
  return rootKeys.flatMap((root) => {
    if (root.protocolVersion !== GOOGLE_CALLBACK_PROTOCOL) return [];
    const expiresAt = parseMillis(root.keyExpiration);
    if (expiresAt === null || expiresAt <= nowMs) return [];
    const key = importP256Key(root.keyValue);
    return key ? [key] : [];
  });
}

/**
 * Verifies a save/delete callback POSTed by Google Wallet and returns its message, or throws
 * CallbackVerificationError. `recipientId` is the issuer id the callback claims to be for (see
 * peekCallbackMessage); `rootKeys` come from fetchGoogleRootKeys.
 */
export function verifyGoogleCallback(body: unknown, options: { recipientId: string; rootKeys: GoogleRootKey[]; now?: Date }): GoogleCallbackMessage {
  const nowMs = (options.now ?? new Date()).getTime();
  const parsed = parseBody(body);
  if (parsed.protocolVersion !== GOOGLE_CALLBACK_PROTOCOL) refuse("protocol");

  const keyBytes = lengthValue(GOOGLE_CALLBACK_SENDER_ID, GOOGLE_CALLBACK_PROTOCOL, parsed.signedKey);
  const roots = usableRootKeys(options.rootKeys, nowMs);
  const keySigned = roots.some((root) => parsed.keySignatures.some((signature) => verifies(root, signature, keyBytes)));
  if (!keySigned) refuse("intermediate_signature");

  const signedKey = asObject(parsed.signedKey);
  const intermediateKey = importP256Key(requireString(signedKey.keyValue)) ?? refuse("malformed");
  const keyExpiration = parseMillis(signedKey.keyExpiration) ?? refuse("malformed");
  if (keyExpiration <= nowMs) refuse("intermediate_expired");

  const messageBytes = lengthValue(GOOGLE_CALLBACK_SENDER_ID, options.recipientId, GOOGLE_CALLBACK_PROTOCOL, parsed.signedMessage);
  if (!verifies(intermediateKey, parsed.signature, messageBytes)) refuse("message_signature");

  const message = parseMessage(parsed.signedMessage);
  if (message.expTimeMillis <= nowMs) refuse("message_expired");
  return message;
}

/** What a callback says about itself before anyone has checked it. */
export type UnverifiedCallbackMessage = { issuerId: string; classId: string; objectId: string; eventType: string };

/**
 * Reads a callback's signedMessage WITHOUT verifying anything. A callback does not say which
 * issuer it is for until its message is read, and the issuer id is the recipient id the signature
 * covers, so the route peeks at the classId (`<issuerId>.<suffix>`), finds that issuer, and then
 * calls verifyGoogleCallback with its id. Anyone can POST any body: the result is a lookup hint
 * only and must not be acted on, stored or shown before verifyGoogleCallback has accepted the
 * same body. Throws CallbackVerificationError("malformed") when there is nothing to peek at.
 */
export function peekCallbackMessage(body: unknown): UnverifiedCallbackMessage {
  const message = asObject(requireString(asObject(body).signedMessage));
  const classId = requireString(message.classId);
  const issuerId = /^(\d+)\./.exec(classId)?.[1] ?? refuse("malformed");
  return {
    issuerId,
    classId,
    objectId: typeof message.objectId === "string" ? message.objectId : "",
    eventType: typeof message.eventType === "string" ? message.eventType : "",
  };
}

// Root keys rotate rarely and every callback needs them, so they are cached per URL for as long as
// Google's Cache-Control allows, as Tink's GooglePaymentsPublicKeysManager does.
const DEFAULT_MAX_AGE_SECONDS = 3600;
const rootKeyCache = new Map<string, { keys: GoogleRootKey[]; expiresAt: number }>();
const inFlight = new Map<string, Promise<GoogleRootKey[]>>();

function maxAgeSeconds(cacheControl: string | null): number {
  if (!cacheControl) return DEFAULT_MAX_AGE_SECONDS;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(cacheControl)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return match ? Number(match[1]) : DEFAULT_MAX_AGE_SECONDS;
}

/** Keys of this protocol whose keyExpiration is still ahead; a key cached an hour ago may have lapsed since. */
function liveKeys(keys: GoogleRootKey[], nowMs: number): GoogleRootKey[] {
  return keys.filter((key) => {
    const expiresAt = parseMillis(key.keyExpiration);
    return key.protocolVersion === GOOGLE_CALLBACK_PROTOCOL && expiresAt !== null && expiresAt > nowMs;
  });
}

function parseKeysDocument(document: unknown): GoogleRootKey[] {
  const keys = isObject(document) && Array.isArray(document.keys) ? document.keys : null;
  if (!keys) throw new Error("google root keys: the document has no keys array");
  return keys.flatMap((key): GoogleRootKey[] =>
    isObject(key) && typeof key.keyValue === "string" && typeof key.protocolVersion === "string"
      ? [
          {
            keyValue: key.keyValue,
            protocolVersion: key.protocolVersion,
            keyExpiration: key.keyExpiration === undefined ? undefined : String(key.keyExpiration),
          },
        ]
      : [],
  );
}

async function downloadRootKeys(url: string, fetchImpl: typeof fetch): Promise<GoogleRootKey[]> {
  const response = await fetchImpl(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`google root keys: ${url} answered ${response.status}`);
  const keys = liveKeys(parseKeysDocument(await response.json()), Date.now());
  const maxAge = maxAgeSeconds(response.headers.get("cache-control"));
  if (maxAge > 0) rootKeyCache.set(url, { keys, expiresAt: Date.now() + maxAge * 1000 });
  else rootKeyCache.delete(url);
  return keys;
}

/**
 * Google's current ECv2SigningOnly root keys from `url` (normally GOOGLE_ISSUER_KEYS_URL), expired
 * ones left out. Served from memory while the response's Cache-Control max-age (default 1 hour)
 * lasts; concurrent callers share one download.
 */
export async function fetchGoogleRootKeys(url: string, fetchImpl: typeof fetch = fetch): Promise<GoogleRootKey[]> {
  const cached = rootKeyCache.get(url);
  if (cached && cached.expiresAt > Date.now()) return liveKeys(cached.keys, Date.now());
  const pending = inFlight.get(url);
  if (pending) return pending;
  const download = downloadRootKeys(url, fetchImpl).finally(() => inFlight.delete(url));
  inFlight.set(url, download);
  return download;
}

/** Forgets cached root keys, for tests and for a forced refresh after a failed verification. */
export function clearGoogleRootKeysCache(): void {
  rootKeyCache.clear();
}
