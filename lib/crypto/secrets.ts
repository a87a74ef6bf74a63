import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";

/**
 * Secrets at rest (certificates, provider tokens, webhook secrets): AES-256-GCM under APP_ENCRYPTION_KEY.
 * Each value is bound to what it belongs to (`context`, e.g. `merchant:<id>:apple-cert`) as associated
 * data, so a ciphertext copied onto another merchant's row does not decrypt.
 */
const VERSION = "v1";

/** Refusal to seal secrets in production without a key; its message is a translation key for the cabinet. */
export class SecretsUnavailableError extends AppError {
  constructor() {
    super("conflict", "errors.encryptionKeyMissing");
    this.name = "SecretsUnavailableError";
  }
}

function parseKey(raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) throw new Error("APP_ENCRYPTION_KEY must be 32 bytes, as base64 or 64 hex characters");
  return key;
}

/**
 * The key in force: APP_ENCRYPTION_KEY, or else a local key kept beside the embedded data — in
 * development, and on a single-machine install on the embedded database (like AUTH_SECRET). A
 * production deployment on PostgreSQL must set the key: its instances share one database.
 */
export function encryptionKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.APP_ENCRYPTION_KEY) return parseKey(env.APP_ENCRYPTION_KEY);
  if (env.NODE_ENV === "production" && env.DATABASE_URL) throw new SecretsUnavailableError();
  const dir = path.dirname(path.resolve(env.PGLITE_DIR && !env.PGLITE_DIR.startsWith("memory://") ? env.PGLITE_DIR : ".data/pglite"));
  const file = path.join(dir, "encryption-key");
  if (existsSync(file)) return parseKey(readFileSync(file, "utf8").trim());
  mkdirSync(dir, { recursive: true });
  try {
    // Exclusive create: of two processes starting at once, one writes and both use what it wrote.
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return parseKey(readFileSync(file, "utf8").trim());
}

/** The associated data that ties a sealed value to its merchant and purpose. */
export const secretContext = (merchantId: string, kind: string) => `merchant:${merchantId}:${kind}`;

export function encryptSecret(plain: string | Buffer, context: string, key = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(typeof plain === "string" ? Buffer.from(plain) : plain), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

export function decryptSecret(sealed: string, context: string, key = encryptionKey()): Buffer {
  const [version, iv, tag, data] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]);
}
