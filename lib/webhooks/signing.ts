import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret, secretContext } from "@/lib/crypto/secrets";

/** Standard Webhooks secrets: `whsec_` + base64 of the key bytes (32 here; the spec asks for 24–64). */
export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/** Sealed at rest, bound to the merchant and the endpoint, so a ciphertext moved to another row does not open. */
const context = (merchantId: string, endpointId: string) => secretContext(merchantId, `webhook:${endpointId}`);

export const sealWebhookSecret = (merchantId: string, endpointId: string, secret: string) => encryptSecret(secret, context(merchantId, endpointId));
export const openWebhookSecret = (merchantId: string, endpointId: string, sealed: string) =>
  decryptSecret(sealed, context(merchantId, endpointId)).toString("utf8");

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>` under each secret, space-separated (the spec's form during a rotation). */
export function signWebhook(secrets: string[], msgId: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
      return "v1," + createHmac("sha256", key).update(`${msgId}.${timestamp}.${body}`).digest("base64");
    })
    .join(" ");
}
