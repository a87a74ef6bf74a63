import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, customers, type Merchant } from "@/db/schema";
import { issueCard } from "@/lib/cards";
import { AppError } from "@/lib/errors";
import { isEnrolmentOpen } from "@/lib/merchants/enrolment";
import type { CustomerFields } from "@/lib/validations/customers";
import { verifyCode } from "./codes";

/**
 * A customer enrols on a merchant's page: the code proves the phone, then a card of the merchant's
 * enrolment template is issued — unless the phone already holds one, which it simply keeps.
 */
export async function enrolCustomer(db: Db, merchant: Merchant, holder: CustomerFields, code: string): Promise<{ cardId: string; created: boolean }> {
  if (!isEnrolmentOpen(merchant) || !merchant.enrolmentTemplateId) throw new AppError("forbidden", "customerAuth.errors.enrolmentClosed");
  await verifyCode(db, { phone: holder.phone, purpose: "enrol", code, merchantId: merchant.id });
  const [existing] = await db
    .select({ id: cards.id })
    .from(cards)
    .innerJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchant.id)))
    .where(and(eq(cards.merchantId, merchant.id), eq(cards.templateId, merchant.enrolmentTemplateId), eq(customers.phone, holder.phone)));
  if (existing) return { cardId: existing.id, created: false };
  const card = await issueCard(db, merchant.id, { type: "system" }, { templateId: merchant.enrolmentTemplateId, customer: holder });
  return { cardId: card.id, created: true };
}
