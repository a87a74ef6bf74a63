import "server-only";
import type { Db } from "@/db";
import { getEnv } from "@/lib/env";
import { openEmailSecrets, openSmsSecrets } from "@/lib/messaging/credentials";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { consoleEmailAdapter } from "./email/console";
import { createResendAdapter, type ResendSendOptions } from "./email/resend";
import { consoleSmsAdapter } from "./sms/console";
import { createSmsRuAdapter } from "./sms/sms-ru";
import { createSmscAdapter } from "./sms/smsc";
import { ProviderError, type EmailMessage, type SendResult, type SmsAdapter } from "./types";

/** An e-mail provider with the address it sends from; `send` takes Resend's idempotency key (others ignore it). */
export type EmailSender = {
  readonly name: string;
  readonly from: string;
  send(message: EmailMessage, options?: ResendSendOptions): Promise<SendResult>;
};

const unreadable = (what: string) =>
  new ProviderError(
    `The stored ${what} credentials cannot be read; enter them again in Settings.`,
    false,
    "auth",
    `${what}: sealed credentials do not open with this server's key`,
  );

/**
 * The SMS provider for a merchant's messages (from its sealed settings), or for the platform's own
 * (merchantId null: codes for /my) from the environment. Base URLs always come from the environment,
 * so a test server can stand in for either. Throws ProviderError when the credentials cannot be used.
 */
export async function getSmsAdapter(db: Db, merchantId: string | null): Promise<SmsAdapter> {
  const env = getEnv();
  if (merchantId === null) {
    if (env.SMS_PROVIDER === "smsru") return createSmsRuAdapter({ apiId: env.SMS_RU_API_ID ?? "", sender: env.SMS_SENDER, baseUrl: env.SMS_RU_URL });
    if (env.SMS_PROVIDER === "smsc") {
      return createSmscAdapter({ login: env.SMSC_LOGIN, password: env.SMSC_PASSWORD, apiKey: env.SMSC_API_KEY, sender: env.SMS_SENDER, baseUrl: env.SMSC_URL });
    }
    return consoleSmsAdapter;
  }
  const settings = await getMessagingSettings(db, merchantId);
  if (settings.smsProvider === "console") return consoleSmsAdapter;
  const secrets = openSmsSecrets(merchantId, settings.smsSealed);
  if (!secrets) throw unreadable("SMS");
  const sender = settings.smsSender ?? undefined;
  if (settings.smsProvider === "smsru") {
    if (!secrets.smsru) throw new ProviderError("No sms.ru API key is saved.", false, "auth", "sms.ru: api_id missing");
    return createSmsRuAdapter({ apiId: secrets.smsru.apiId, sender, baseUrl: env.SMS_RU_URL });
  }
  return createSmscAdapter({ ...secrets.smsc, sender, baseUrl: env.SMSC_URL });
}

/**
 * The e-mail provider and sender address for a merchant's messages, or the platform's (merchantId
 * null) from EMAIL_PROVIDER / RESEND_API_KEY / EMAIL_FROM. A merchant on the console without its own
 * address sends as EMAIL_FROM.
 */
export async function getEmailAdapter(db: Db, merchantId: string | null): Promise<EmailSender> {
  const env = getEnv();
  let provider: "console" | "resend" = env.EMAIL_PROVIDER;
  let apiKey = env.RESEND_API_KEY;
  let from = env.EMAIL_FROM;
  if (merchantId !== null) {
    const settings = await getMessagingSettings(db, merchantId);
    provider = settings.emailProvider;
    from = settings.emailFrom ?? from;
    if (provider === "resend") {
      const secrets = openEmailSecrets(merchantId, settings.emailSealed);
      if (!secrets) throw unreadable("e-mail");
      apiKey = secrets.resend?.apiKey;
    }
  }
  if (provider === "resend") {
    if (!apiKey) throw new ProviderError("No Resend API key is saved.", false, "auth", "resend: API key missing");
    const resend = createResendAdapter({ apiKey, baseUrl: env.RESEND_URL });
    return { name: resend.name, from, send: (message, options) => resend.send(message, options) };
  }
  // Called through the shared object, so a test that spies on the console adapter sees these sends.
  return { name: consoleEmailAdapter.name, from, send: (message) => consoleEmailAdapter.send(message) };
}
