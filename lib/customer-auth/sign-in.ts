import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, customers, type Merchant } from "@/db/schema";
import { logger } from "@/lib/logger";
import { isEnrolmentOpen } from "@/lib/merchants/enrolment";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { renderTemplate, smsTemplate } from "@/lib/messaging/templates";
import { dispatchOutbox, queueCodeMessage } from "@/lib/outbox";
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

export type CodeRequest = {
  phone: string;
  purpose: CodePurpose;
  merchant: Merchant | null;
  ip: string;
  locale: string;
  /** An open registration form (lib/forms) asks: any phone may enrol there, whatever the merchant's own page allows. */
  formOpen?: boolean;
};

/**
 * A sign-in or enrolment code, in two steps so the answer never tells whether a phone is known.
 *
 * The first step, inside the request, makes the code and counts it against the limits — the same
 * queries for every phone. It returns the second step, which the caller runs after the answer has
 * gone (`after()` in a server action): it decides whether an SMS goes out at all — only to a phone
 * that can use the code (one holding a card there, or any phone where the merchant lets customers
 * enrol), which also keeps strangers from spending the merchant's SMS budget — and queues it.
 *
 * On a merchant's page the code goes through the merchant's provider and template, so it proves the
 * phone to that merchant alone (see CodeDeliverer); at /my the platform's provider and template
 * deliver it.
 */
export async function requestCustomerCode(db: Db, input: CodeRequest): Promise<() => Promise<void>> {
  const merchant = input.merchant;
  const settings = merchant ? await getMessagingSettings(db, merchant.id) : null;
  const { code } = await issueCode(db, {
    phone: input.phone,
    purpose: input.purpose,
    merchantId: merchant?.id ?? null,
    ip: input.ip,
    merchantPerHour: settings?.codeSmsPerHour,
  });
  return async () => {
    try {
      const useful =
        input.purpose === "enrol"
          ? input.formOpen || isEnrolmentOpen(merchant)
          : isEnrolmentOpen(merchant) || (await holdsCard(db, input.phone, merchant?.id ?? null));
      if (!useful) return;
      const template = smsTemplate("code", settings?.smsCodeTemplate, input.locale);
      const id = await queueCodeMessage(db, {
        merchantId: merchant?.id ?? null,
        recipient: input.phone,
        code,
        render: (shown) => renderTemplate(template, { code: shown, merchant: merchant?.name ?? "CardDesk" }),
      });
      await dispatchOutbox([id]);
    } catch (err) {
      logger.error("customer code not queued", { merchantId: merchant?.id ?? null, error: err instanceof Error ? err.message : String(err) });
    }
  };
}
