import "server-only";
import type { Db } from "@/db";
import type { Merchant } from "@/db/schema";
import { issueCardOnce } from "@/lib/cards";
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
  // One card per phone per template: a phone that already holds one keeps it.
  const { card, created } = await issueCardOnce(
    db,
    merchant.id,
    { type: "system" },
    { templateId: merchant.enrolmentTemplateId, customer: holder },
    "return",
    "enrolment",
  );
  return { cardId: card.id, created };
}
