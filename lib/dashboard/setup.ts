import "server-only";
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { cardTemplates, cards, merchantCredentials, messagingSettings } from "@/db/schema";

/** The steps that take a new merchant to a first card a customer can really install, in the order that works. */
export const SETUP_STEPS = ["template", "appleCertificate", "sms", "firstCard"] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** Where each step is done in the cabinet. */
export const SETUP_STEP_HREF: Record<SetupStep, string> = {
  template: "/templates/new",
  appleCertificate: "/settings/certificates",
  sms: "/settings/sms",
  firstCard: "/cards/new",
};

export type SetupChecklist = { steps: { step: SetupStep; done: boolean; href: string }[]; allDone: boolean };

/**
 * The dashboard's setup checklist, read from the merchant's data each time, so it ticks itself: a
 * template in use (not archived), an Apple certificate of its own (the development one makes passes
 * iPhones refuse), an SMS service that really sends (the console one only logs), and a first card.
 */
export async function getSetupChecklist(db: Db, merchantId: string): Promise<SetupChecklist> {
  const exists = async (q: Promise<unknown[]>) => (await q).length > 0;
  const [template, appleCertificate, sms, firstCard] = await Promise.all([
    exists(
      db
        .select({ id: cardTemplates.id })
        .from(cardTemplates)
        .where(and(eq(cardTemplates.merchantId, merchantId), isNull(cardTemplates.archivedAt)))
        .limit(1),
    ),
    exists(
      db
        .select({ id: merchantCredentials.id })
        .from(merchantCredentials)
        .where(and(eq(merchantCredentials.merchantId, merchantId), eq(merchantCredentials.kind, "apple")))
        .limit(1),
    ),
    exists(
      db
        .select({ id: messagingSettings.merchantId })
        .from(messagingSettings)
        .where(and(eq(messagingSettings.merchantId, merchantId), ne(messagingSettings.smsProvider, "console")))
        .limit(1),
    ),
    exists(db.select({ id: cards.id }).from(cards).where(eq(cards.merchantId, merchantId)).limit(1)),
  ]);
  const done: Record<SetupStep, boolean> = { template, appleCertificate, sms, firstCard };
  const steps = SETUP_STEPS.map((step) => ({ step, done: done[step], href: SETUP_STEP_HREF[step] }));
  return { steps, allDone: steps.every((s) => s.done) };
}
