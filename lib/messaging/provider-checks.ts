import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { outboxMessages } from "@/db/schema";
import { getSmsAdapter } from "@/lib/adapters";
import type { ProviderErrorCode } from "@/lib/adapters/types";
import { deliverMessage, queueMessage } from "@/lib/outbox";
import { parseSendError, providerAnswer } from "./errors";
import { renderTemplate } from "./templates";

/** What "Check balance" shows: the provider's balance, that it has none (console), or its refusal. */
export type BalanceAnswer =
  | { kind: "balance"; provider: string; amountMinor: number; currency: string }
  | { kind: "unsupported"; provider: string }
  | { kind: "refused"; code: ProviderErrorCode; detail: string };

/** What "Send test SMS / e-mail" shows: the provider's message id (and cost), or its refusal. */
export type TestSendAnswer =
  | { kind: "sent"; outboxId: string; provider: string; providerMessageId: string; costMinor: number | null; currency: string | null }
  | { kind: "refused"; outboxId: string; provider: string | null; code: ProviderErrorCode; detail: string };

const TEST_TEXT = {
  en: {
    sms: "{merchant}: a test message from CardDesk. SMS sending works.",
    subject: "{merchant}: test e-mail",
    email: "A test e-mail from CardDesk for {merchant}. E-mail sending works.",
  },
  ru: {
    sms: "{merchant}: тестовое сообщение из CardDesk. Отправка SMS работает.",
    subject: "{merchant}: тестовое письмо",
    email: "Тестовое письмо из CardDesk для {merchant}. Отправка e-mail работает.",
  },
} as const;
const textsFor = (locale: string) => TEST_TEXT[locale === "en" ? "en" : "ru"];

export async function checkSmsBalance(db: Db, merchantId: string): Promise<BalanceAnswer> {
  try {
    const adapter = await getSmsAdapter(db, merchantId);
    if (!adapter.balance) return { kind: "unsupported", provider: adapter.name };
    const balance = await adapter.balance();
    return { kind: "balance", provider: adapter.name, amountMinor: balance.amount, currency: balance.currency };
  } catch (err) {
    return { kind: "refused", ...providerAnswer(err) };
  }
}

/**
 * Sends a test message at once, through the outbox (so it is listed under Messages with its cost) but
 * in this request rather than the worker, so the person who pressed the button reads the provider's
 * answer. No retries: a temporary refusal is shown as it is.
 */
async function sendNow(
  db: Db,
  merchantId: string,
  message: { channel: "sms" | "email"; recipient: string; subject?: string; body: string },
): Promise<TestSendAnswer> {
  const outboxId = await queueMessage(db, { merchantId, kind: "test", ...message });
  await deliverMessage(outboxId, { isLast: true });
  const [row] = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.id, outboxId), eq(outboxMessages.merchantId, merchantId)));
  if (row.status === "sent" || row.status === "delivered") {
    return {
      kind: "sent",
      outboxId,
      provider: row.provider ?? "",
      providerMessageId: row.providerMessageId ?? "",
      costMinor: row.costMinor,
      currency: row.currency,
    };
  }
  const parsed = parseSendError(row.error);
  return { kind: "refused", outboxId, provider: row.provider, code: parsed?.code ?? "unknown", detail: parsed?.text ?? "" };
}

export async function sendTestSms(db: Db, merchant: { id: string; name: string }, input: { phone: string; locale: string }): Promise<TestSendAnswer> {
  return sendNow(db, merchant.id, { channel: "sms", recipient: input.phone, body: renderTemplate(textsFor(input.locale).sms, { merchant: merchant.name }) });
}

export async function sendTestEmail(db: Db, merchant: { id: string; name: string }, input: { to: string; locale: string }): Promise<TestSendAnswer> {
  const t = textsFor(input.locale);
  return sendNow(db, merchant.id, {
    channel: "email",
    recipient: input.to,
    subject: renderTemplate(t.subject, { merchant: merchant.name }),
    body: renderTemplate(t.email, { merchant: merchant.name }),
  });
}
