// Plays Google's side of Wallet save/delete callbacks: a root key published in a keys document like
// https://pay.google.com/gp/m/issuer/keys, an intermediate key it signs, and callback bodies signed
// ECv2SigningOnly the way Tink's PaymentMethodTokenSender does. Only node: imports, so Vitest and
// Playwright can both load it by relative path.
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";

const SENDER_ID = "GooglePayPasses";
const PROTOCOL = "ECv2SigningOnly";
const HOUR_MS = 3_600_000;

/** The root keys document, as Google serves it. */
export type GoogleRootKeysJson = { keys: { keyValue: string; protocolVersion: string; keyExpiration: string }[] };

/** A callback POST body, as Google sends it. */
export type GoogleCallbackBody = {
  signature: string;
  intermediateSigningKey: { signedKey: string; signatures: string[] };
  protocolVersion: string;
  signedMessage: string;
};

export type CallbackMessageInput = {
  classId: string;
  objectId: string;
  eventType: "save" | "del" | (string & {});
  /** Default: an hour from now. */
  expTimeMillis?: number;
  /** Default: a fresh UUID. */
  nonce?: string;
};

export type CallbackSignOptions = {
  /** The issuer id the message is signed for. Default: the classId prefix. */
  recipientId?: string;
  /** Default: a day from now. */
  intermediateExpiresAt?: Date;
  /** Changes the named part after signing, so its signature no longer holds. */
  tamper?: "message" | "intermediate";
};

export type GoogleCallbackSigner = {
  rootKeysJson: GoogleRootKeysJson;
  sign(message: CallbackMessageInput, options?: CallbackSignOptions): GoogleCallbackBody;
};

const spkiBase64 = (key: KeyObject) => key.export({ format: "der", type: "spki" }).toString("base64");

/** Each chunk as its UTF-8 byte length (uint32 little-endian) followed by the bytes, as Tink signs. */
function lengthValue(...chunks: string[]): Buffer {
  return Buffer.concat(
    chunks.flatMap((chunk) => {
      const bytes = Buffer.from(chunk, "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return [length, bytes];
    }),
  );
}

const ecdsa = (key: KeyObject, data: Buffer) => createSign("SHA256").update(data).sign({ key, dsaEncoding: "der" }).toString("base64");

// Google serialises with Gson, which writes "=" as \u003d; keeping that makes the verifier parse
// the signed key as JSON instead of reading it as text.
const gsonEscape = (json: string) => json.replace(/=/g, "\\u003d");

export function createGoogleCallbackSigner(options: { rootExpiresAt?: Date } = {}): GoogleCallbackSigner {
  const root = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const intermediate = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const rootExpiresAt = options.rootExpiresAt ?? new Date(Date.now() + 30 * 24 * HOUR_MS);

  const rootKeysJson: GoogleRootKeysJson = {
    keys: [{ keyValue: spkiBase64(root.publicKey), protocolVersion: PROTOCOL, keyExpiration: String(rootExpiresAt.getTime()) }],
  };

  function sign(input: CallbackMessageInput, signOptions?: CallbackSignOptions): GoogleCallbackBody {
    const recipientId = signOptions?.recipientId ?? input.classId.split(".")[0];
    const keyExpiresAt = signOptions?.intermediateExpiresAt ?? new Date(Date.now() + 24 * HOUR_MS);
    const signedKey = gsonEscape(JSON.stringify({ keyValue: spkiBase64(intermediate.publicKey), keyExpiration: String(keyExpiresAt.getTime()) }));
    const signedMessage = JSON.stringify({
      classId: input.classId,
      objectId: input.objectId,
      eventType: input.eventType,
      expTimeMillis: input.expTimeMillis ?? Date.now() + HOUR_MS,
      count: 1,
      nonce: input.nonce ?? randomUUID(),
    });

    const body: GoogleCallbackBody = {
      signature: ecdsa(intermediate.privateKey, lengthValue(SENDER_ID, recipientId, PROTOCOL, signedMessage)),
      intermediateSigningKey: { signedKey, signatures: [ecdsa(root.privateKey, lengthValue(SENDER_ID, PROTOCOL, signedKey))] },
      protocolVersion: PROTOCOL,
      signedMessage,
    };
    if (signOptions?.tamper === "message")
      body.signedMessage = signedMessage.replace(`"eventType":"${input.eventType}"`, `"eventType":"${input.eventType === "save" ? "del" : "save"}"`);
    if (signOptions?.tamper === "intermediate")
      body.intermediateSigningKey.signedKey = signedKey.replace(/"keyExpiration":"(\d+)"/, (_, ms: string) => `"keyExpiration":"${Number(ms) + 1}"`);
    return body;
  }

  return { rootKeysJson, sign };
}
