import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SecretsUnavailableError, decryptSecret, encryptSecret, encryptionKey } from "@/lib/crypto/secrets";

const key = randomBytes(32);

describe("secrets at rest", () => {
  it("round-trips text and binary, with a fresh IV each time", () => {
    const a = encryptSecret("p12 password", "merchant:1:apple", key);
    const b = encryptSecret("p12 password", "merchant:1:apple", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("p12 password");
    expect(decryptSecret(a, "merchant:1:apple", key).toString()).toBe("p12 password");
    const blob = randomBytes(2048);
    expect(decryptSecret(encryptSecret(blob, "ctx", key), "ctx", key).equals(blob)).toBe(true);
  });

  it("refuses a value moved to another merchant, a tampered one and a wrong key", () => {
    const sealed = encryptSecret("secret", "merchant:A:apple", key);
    expect(() => decryptSecret(sealed, "merchant:B:apple", key)).toThrow();
    const parts = sealed.split(":");
    parts[3] = Buffer.from("forged").toString("base64");
    expect(() => decryptSecret(parts.join(":"), "merchant:A:apple", key)).toThrow();
    expect(() => decryptSecret(sealed, "merchant:A:apple", randomBytes(32))).toThrow();
  });

  it("takes the key from APP_ENCRYPTION_KEY and refuses to work without one in production on PostgreSQL", () => {
    const hex = randomBytes(32).toString("hex");
    expect(encryptionKey({ NODE_ENV: "test", APP_ENCRYPTION_KEY: hex } as NodeJS.ProcessEnv).toString("hex")).toBe(hex);
    expect(() => encryptionKey({ NODE_ENV: "test", APP_ENCRYPTION_KEY: "short" } as NodeJS.ProcessEnv)).toThrow(/32 bytes/);
    expect(() => encryptionKey({ NODE_ENV: "production", DATABASE_URL: "postgres://db/x" } as NodeJS.ProcessEnv)).toThrow(SecretsUnavailableError);
    // A single-machine install on the embedded database keeps a local key beside its data, once.
    const dir = mkdtempSync(path.join(tmpdir(), "secrets-"));
    const local = { NODE_ENV: "production", PGLITE_DIR: path.join(dir, "pglite") } as NodeJS.ProcessEnv;
    expect(encryptionKey(local).equals(encryptionKey(local))).toBe(true);
    expect(readFileSync(path.join(dir, "encryption-key"), "utf8").trim()).toHaveLength(44);
  });
});
