import "server-only";
import { decryptSecret, encryptSecret, secretContext } from "@/lib/crypto/secrets";

/*
 * A merchant's provider credentials, sealed per channel (messaging_settings.sms_sealed / email_sealed).
 * Each provider keeps its own entry, so switching to the console for a while and back again does not
 * lose the sms.ru key.
 */
export type SmsSecrets = {
  smsru?: { apiId: string };
  /** Either login + password or an API key, whichever the merchant chose last. */
  smsc?: { login?: string; password?: string; apiKey?: string };
};
export type EmailSecrets = { resend?: { apiKey: string } };

const SMS_KIND = "messaging-sms";
const EMAIL_KIND = "messaging-email";

export function sealSmsSecrets(merchantId: string, secrets: SmsSecrets): string {
  return encryptSecret(JSON.stringify(secrets), secretContext(merchantId, SMS_KIND));
}

export function sealEmailSecrets(merchantId: string, secrets: EmailSecrets): string {
  return encryptSecret(JSON.stringify(secrets), secretContext(merchantId, EMAIL_KIND));
}

/**
 * The sealed value opened, `{}` when nothing is stored, or null when it cannot be opened (the key
 * changed, or the value was copied from another merchant's row): the merchant has to enter it again.
 */
function open<T>(sealed: string | null, context: string): T | null {
  if (!sealed) return {} as T;
  try {
    return JSON.parse(decryptSecret(sealed, context).toString("utf8")) as T;
  } catch {
    return null;
  }
}

export const openSmsSecrets = (merchantId: string, sealed: string | null) => open<SmsSecrets>(sealed, secretContext(merchantId, SMS_KIND));
export const openEmailSecrets = (merchantId: string, sealed: string | null) => open<EmailSecrets>(sealed, secretContext(merchantId, EMAIL_KIND));

/** What the settings page may say about a stored secret: its last four characters, and only of a long one. */
export function secretEnding(secret: string | undefined): string | null {
  if (!secret) return null;
  return secret.length >= 12 ? secret.slice(-4) : "";
}
