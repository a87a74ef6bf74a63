import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { messagingSettings, type MessagingSettings } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { CODE_SMS_PER_HOUR_DEFAULT, type EmailProviderId, EmailSettingsInput, SmsProviderId, SmsSettingsInput } from "@/lib/validations/messaging";
import { openEmailSecrets, openSmsSecrets, sealEmailSecrets, sealSmsSecrets, secretEnding, type EmailSecrets, type SmsSecrets } from "./credentials";

/** A merchant's messaging settings, or the defaults (console providers, built-in texts) when it has saved none. */
export async function getMessagingSettings(db: Db, merchantId: string): Promise<MessagingSettings> {
  const [row] = await db.select().from(messagingSettings).where(eq(messagingSettings.merchantId, merchantId));
  return (
    row ?? {
      merchantId,
      smsProvider: "console",
      smsSender: null,
      smsSealed: null,
      smsCodeTemplate: "",
      smsLinkTemplate: "",
      codeSmsPerHour: CODE_SMS_PER_HOUR_DEFAULT,
      emailProvider: "console",
      emailFrom: null,
      emailSealed: null,
      updatedAt: new Date(0),
    }
  );
}

/**
 * What the settings pages show. Secrets never leave the server: only whether one is stored and, for a
 * long one, its last four characters ("" when stored but too short to show any of it).
 */
export type MessagingSettingsView = {
  sms: {
    provider: SmsProviderId;
    sender: string;
    codeTemplate: string;
    linkTemplate: string;
    codeSmsPerHour: number;
    smsruApiIdEnding: string | null;
    smscLogin: string;
    smscAuth: "password" | "apiKey";
    smscPasswordSaved: boolean;
    smscApiKeyEnding: string | null;
    /** The stored credentials cannot be opened (the encryption key changed): they must be entered again. */
    unreadable: boolean;
  };
  email: { provider: EmailProviderId; from: string; resendApiKeyEnding: string | null; unreadable: boolean };
};

export async function getMessagingSettingsView(db: Db, merchantId: string): Promise<MessagingSettingsView> {
  const row = await getMessagingSettings(db, merchantId);
  const sms = openSmsSecrets(merchantId, row.smsSealed);
  const email = openEmailSecrets(merchantId, row.emailSealed);
  return {
    sms: {
      provider: row.smsProvider,
      sender: row.smsSender ?? "",
      codeTemplate: row.smsCodeTemplate,
      linkTemplate: row.smsLinkTemplate,
      codeSmsPerHour: row.codeSmsPerHour,
      smsruApiIdEnding: secretEnding(sms?.smsru?.apiId),
      smscLogin: sms?.smsc?.login ?? "",
      smscAuth: sms?.smsc?.apiKey ? "apiKey" : "password",
      smscPasswordSaved: !!sms?.smsc?.password,
      smscApiKeyEnding: secretEnding(sms?.smsc?.apiKey),
      unreadable: sms === null,
    },
    email: { provider: row.emailProvider, from: row.emailFrom ?? "", resendApiKeyEnding: secretEnding(email?.resend?.apiKey), unreadable: email === null },
  };
}

const required = (field: string, message: string) => new AppError("validation", message, { [field]: message });

/** The credentials after this save: typed values replace stored ones, empty fields keep them. */
function nextSmsSecrets(stored: SmsSecrets, input: SmsSettingsInput): SmsSecrets {
  const next: SmsSecrets = { ...stored };
  if (input.provider === "smsru") {
    const apiId = input.smsruSecretApiId || stored.smsru?.apiId;
    if (!apiId) throw required("smsruSecretApiId", "messaging.errors.apiIdRequired");
    next.smsru = { apiId };
  }
  if (input.provider === "smsc") {
    if (input.smscAuth === "apiKey") {
      const apiKey = input.smscSecretApiKey || stored.smsc?.apiKey;
      if (!apiKey) throw required("smscSecretApiKey", "messaging.errors.apiKeyRequired");
      next.smsc = { apiKey };
    } else {
      if (!input.smscLogin) throw required("smscLogin", "validation.required");
      // A stored password belongs to the stored login; a new login needs its own.
      const password = input.smscSecretPassword || (stored.smsc?.login === input.smscLogin ? stored.smsc.password : undefined);
      if (!password) throw required("smscSecretPassword", "messaging.errors.passwordRequired");
      next.smsc = { login: input.smscLogin, password };
    }
  }
  return next;
}

/** Which stored secrets a save replaced, for the audit log (names only, never values). */
function changedSecrets(before: SmsSecrets | EmailSecrets, after: SmsSecrets | EmailSecrets): string[] {
  const flat = (s: object) =>
    Object.entries(s).flatMap(([provider, values]) => Object.entries(values as object).map(([k, v]) => [`${provider}.${k}`, v] as const));
  const old = new Map(flat(before));
  return flat(after)
    .filter(([key, value]) => old.get(key) !== value)
    .map(([key]) => key);
}

export async function saveSmsSettings(db: Db, actor: AuditActor, input: SmsSettingsInput): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getMessagingSettings(tx, actor.merchantId);
    // Unreadable credentials are dropped: the ones typed now replace them.
    const stored = openSmsSecrets(actor.merchantId, before.smsSealed) ?? {};
    const secrets = nextSmsSecrets(stored, input);
    const values = {
      smsProvider: input.provider,
      // The console form has no sender field; the one saved for a real provider waits for it.
      smsSender: input.provider === "console" ? before.smsSender : input.sender || null,
      smsCodeTemplate: input.codeTemplate,
      smsLinkTemplate: input.linkTemplate,
      codeSmsPerHour: input.codeSmsPerHour,
      smsSealed: sealSmsSecrets(actor.merchantId, secrets),
      updatedAt: new Date(),
    };
    await tx
      .insert(messagingSettings)
      .values({ merchantId: actor.merchantId, ...values })
      .onConflictDoUpdate({ target: messagingSettings.merchantId, set: values });
    const shown = (s: Pick<MessagingSettings, "smsProvider" | "smsSender" | "smsCodeTemplate" | "smsLinkTemplate" | "codeSmsPerHour">) => ({
      provider: s.smsProvider,
      sender: s.smsSender,
      codeTemplate: s.smsCodeTemplate,
      linkTemplate: s.smsLinkTemplate,
      codeSmsPerHour: s.codeSmsPerHour,
    });
    await recordAudit(tx, actor, {
      action: "messaging.sms.update",
      entityType: "messaging_settings",
      entityId: actor.merchantId,
      before: shown(before),
      after: { ...shown(values), secretsChanged: changedSecrets(stored, secrets) },
    });
  });
}

export async function saveEmailSettings(db: Db, actor: AuditActor, input: EmailSettingsInput): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getMessagingSettings(tx, actor.merchantId);
    const stored = openEmailSecrets(actor.merchantId, before.emailSealed) ?? {};
    const secrets: EmailSecrets = { ...stored };
    if (input.provider === "resend") {
      const apiKey = input.resendSecretApiKey || stored.resend?.apiKey;
      if (!apiKey) throw required("resendSecretApiKey", "messaging.errors.apiKeyRequired");
      // Resend sends only from a domain verified in the account, so the address must be given.
      if (!input.from) throw required("from", "messaging.errors.fromRequired");
      secrets.resend = { apiKey };
    }
    const values = { emailProvider: input.provider, emailFrom: input.from, emailSealed: sealEmailSecrets(actor.merchantId, secrets), updatedAt: new Date() };
    await tx
      .insert(messagingSettings)
      .values({ merchantId: actor.merchantId, ...values })
      .onConflictDoUpdate({ target: messagingSettings.merchantId, set: values });
    await recordAudit(tx, actor, {
      action: "messaging.email.update",
      entityType: "messaging_settings",
      entityId: actor.merchantId,
      before: { provider: before.emailProvider, from: before.emailFrom },
      after: { provider: input.provider, from: input.from, secretsChanged: changedSecrets(stored, secrets) },
    });
  });
}
