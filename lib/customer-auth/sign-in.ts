import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, customers, type Merchant } from "@/db/schema";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { renderTemplate, smsTemplate } from "@/lib/messaging/templates";
import { dispatchOutbox, queueMessage } from "@/lib/outbox";
import { issueCode, type CodePurpose } from "./codes";

/** Whether a phone holds a card at one merchant, or at any. */
async function holdsCard(db: Db, phone: string, merchantId: string | null): Promise<boolean> {
  const [row] = await db
    .select({ one: sql`1` })
    .from(customers)
    .innerJoin(cards, and(eq(cards.customerId, customers.id), eq(cards.merchantId, customers.merchantId)))
    .where(merchantId ? and(eq(customers.phone, phone), eq(customers.merchantId, merchantId)) : eq(customers.phone, phone))
    .limit(1);
  return !!row;
}

/**
 * Sends a sign-in or enrolment code by SMS, through the merchant's provider on its page and the
 * platform's at /my. The answer never says whether the phone is known: a code is made and counted
 * against the limits either way, but an SMS only goes to a phone that can use it (one holding a
 * card there, or any phone where the merchant lets customers enrol) — which also keeps strangers
 * from spending the merchant's SMS budget.
 */
export async function requestCustomerCode(db: Db, input: { phone: string; purpose: CodePurpose; merchant: Merchant | null; ip: string; locale: string }): Promise<void> {
  const merchant = input.merchant;
  const { code } = await issueCode(db, { phone: input.phone, purpose: input.purpose, merchantId: merchant?.id ?? null, ip: input.ip });
  const useful = input.purpose === "enrol" ? !!merchant?.enrolmentEnabled : (merchant?.enrolmentEnabled ?? false) || (await holdsCard(db, input.phone, merchant?.id ?? null));
  if (!useful) return;
  const own = merchant ? (await getMessagingSettings(db, merchant.id)).smsCodeTemplate : null;
  const body = renderTemplate(smsTemplate("code", own, input.locale), { code, merchant: merchant?.name ?? "CardDesk" });
  const id = await queueMessage(db, { merchantId: merchant?.id ?? null, channel: "sms", kind: "code", recipient: input.phone, body });
  await dispatchOutbox([id]);
}
