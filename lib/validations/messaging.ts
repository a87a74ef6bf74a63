import { z } from "zod";
import { normalizePhone } from "@/lib/customers/phone";
import { templateProblem } from "@/lib/messaging/templates";
import { email, multilineText, searchText, text } from "./common";

export const SMS_PROVIDERS = ["console", "smsru", "smsc"] as const;
export const EMAIL_PROVIDERS = ["console", "resend"] as const;
export type SmsProviderId = (typeof SMS_PROVIDERS)[number];
export type EmailProviderId = (typeof EMAIL_PROVIDERS)[number];

export const SMS_TEMPLATE_MAX = 480;
/** Codes a merchant's page may send an hour: enough for a busy shop, a ceiling on SMS pumping. */
export const CODE_SMS_PER_HOUR_DEFAULT = 100;
export const CODE_SMS_PER_HOUR_MAX = 10_000;

/** A form field that may be absent (a provider's fields are only in the form while it is chosen). */
const optionalText = (max: number, { multiline = false } = {}) =>
  z.preprocess((v) => (v === undefined || v === null ? "" : v), multiline ? multilineText(max) : text(max));

// An alphanumeric sender (at most 11 characters, as operators allow) or a numeric one (a phone number).
const SENDER = /^(?:[\p{L}\d][\p{L}\d .\-_&!]{0,10}|\+?\d{3,15})$/u;

/**
 * Settings → SMS service. Secret fields carry "secret" in their names, so a refused form never sends
 * them back (lib/actions/staff-action keptValues); empty means "keep the stored one".
 */
export const smsSettingsSchema = z
  .object({
    provider: z.enum(SMS_PROVIDERS, { error: "messaging.errors.provider" }),
    sender: optionalText(15).refine((v) => v === "" || SENDER.test(v), { error: "messaging.errors.sender" }),
    codeTemplate: optionalText(SMS_TEMPLATE_MAX, { multiline: true }),
    linkTemplate: optionalText(SMS_TEMPLATE_MAX, { multiline: true }),
    codeSmsPerHour: z.preprocess(
      (v) => (v === undefined || v === null || v === "" ? CODE_SMS_PER_HOUR_DEFAULT : v),
      z.coerce
        .number({ error: "messaging.errors.codeSmsPerHour" })
        .int({ error: "messaging.errors.codeSmsPerHour" })
        .min(1, { error: "messaging.errors.codeSmsPerHour" })
        .max(CODE_SMS_PER_HOUR_MAX, { error: "messaging.errors.codeSmsPerHour" }),
    ),
    smsruSecretApiId: optionalText(200).refine((v) => !/\s/.test(v), { error: "messaging.errors.secretSpaces" }),
    smscLogin: optionalText(100),
    smscAuth: z.enum(["password", "apiKey"]).catch("password"),
    smscSecretPassword: optionalText(200),
    smscSecretApiKey: optionalText(200).refine((v) => !/\s/.test(v), { error: "messaging.errors.secretSpaces" }),
  })
  .superRefine((input, ctx) => {
    for (const [field, kind] of [
      ["codeTemplate", "code"],
      ["linkTemplate", "link"],
    ] as const) {
      const problem = templateProblem(kind, input[field]);
      if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
    }
  });
export type SmsSettingsInput = z.infer<typeof smsSettingsSchema>;

const FROM_WITH_NAME = /^([^<>\r\n]*?)\s*<([^<>\s]+)>$/;

/** "Shop <shop@example.com>" or "shop@example.com" → the same, tidied; null when it is not one. */
export function parseFromAddress(value: string): string | null {
  const trimmed = value.trim();
  const named = FROM_WITH_NAME.exec(trimmed);
  const address = named ? named[2] : trimmed;
  if (!z.email().safeParse(address).success) return null;
  // Quotes are dropped rather than escaped: a display name never needs them to reach the inbox.
  const name = named?.[1].replace(/"/g, "").trim();
  return name ? `${name} <${address}>` : address;
}

export const emailSettingsSchema = z.object({
  provider: z.enum(EMAIL_PROVIDERS, { error: "messaging.errors.provider" }),
  from: optionalText(200)
    .refine((v) => v === "" || parseFromAddress(v) !== null, { error: "messaging.errors.from" })
    .transform((v) => (v === "" ? null : parseFromAddress(v))),
  resendSecretApiKey: optionalText(200).refine((v) => v === "" || /^re_\S+$/.test(v), { error: "messaging.errors.resendKey" }),
});
export type EmailSettingsInput = z.infer<typeof emailSettingsSchema>;

/** A test SMS goes to a number typed in the merchant's country's format, stored as E.164. */
export const testSmsSchema = (country: string) =>
  z.object({
    phone: z
      .preprocess((v) => v ?? "", z.string())
      .transform((value, ctx) => {
        const e164 = value.trim() ? normalizePhone(value, country) : null;
        if (!e164) ctx.addIssue({ code: "custom", message: value.trim() ? "validation.phone" : "validation.required" });
        return e164 ?? "";
      }),
  });

export const testEmailSchema = z.object({ to: z.preprocess((v) => v ?? "", email()) });

export const OUTBOX_STATUSES = ["queued", "sending", "sent", "delivered", "failed", "in_doubt"] as const;
export const OUTBOX_KINDS = ["code", "card", "test", "staff"] as const;
export const OUTBOX_CHANNELS = ["sms", "email"] as const;

/** Cabinet → Messages filters from the query string; anything unknown is simply no filter. */
export const listMessagesQuerySchema = z.object({
  channel: z.enum(OUTBOX_CHANNELS).optional().catch(undefined),
  status: z.enum(OUTBOX_STATUSES).optional().catch(undefined),
  kind: z.enum(OUTBOX_KINDS).optional().catch(undefined),
  q: searchText(100),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;
