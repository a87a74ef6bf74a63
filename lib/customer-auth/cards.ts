import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { currentVersionOf } from "@/db/queries/templates";
import { cards, cardTemplates, cardTemplateVersions, customers, merchants, type CustomerSession } from "@/db/schema";

/**
 * The cards a signed-in customer may see, with what each card's page and passes need: every card
 * bound to the phone when the platform delivered the code, only the session's merchant's cards when
 * that merchant did (see startCustomerSession). The entry merchant's cards come first.
 */
export async function listCardsForSession(db: Db, session: Pick<CustomerSession, "phone" | "merchantId">, firstMerchantId: string | null) {
  const rows = await db
    .select({
      card: cards,
      holderName: customers.name,
      merchant: { id: merchants.id, name: merchants.name, slug: merchants.slug, logoFileId: merchants.logoFileId, currency: merchants.currency },
      template: { id: cardTemplates.id, name: cardTemplates.name, kind: cardTemplates.kind },
      definition: cardTemplateVersions.definition,
    })
    .from(customers)
    .innerJoin(cards, and(eq(cards.customerId, customers.id), eq(cards.merchantId, customers.merchantId)))
    .innerJoin(merchants, eq(merchants.id, customers.merchantId))
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, cards.templateId), eq(cardTemplates.merchantId, cards.merchantId)))
    .innerJoin(cardTemplateVersions, currentVersionOf(cards.merchantId))
    .where(session.merchantId ? and(eq(customers.phone, session.phone), eq(customers.merchantId, session.merchantId)) : eq(customers.phone, session.phone))
    .orderBy(asc(merchants.name), asc(cards.createdAt));
  return firstMerchantId ? [...rows.filter((r) => r.merchant.id === firstMerchantId), ...rows.filter((r) => r.merchant.id !== firstMerchantId)] : rows;
}

export type CustomerCard = Awaited<ReturnType<typeof listCardsForSession>>[number];
