import "server-only";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, consentRecords, formSubmissions, registrationSources, type Card } from "@/db/schema";
import { wake, type EventContext } from "@/lib/card-events";
import { issueCardOnce } from "@/lib/cards";
import { verifyCode } from "@/lib/customer-auth/codes";
import { AppError } from "@/lib/errors";
import { lockCard, writeEntry } from "@/lib/ledger/write";
import { giveMarketingConsent } from "@/lib/push-events/consent";
import type { CardSource } from "@/lib/reports/dimensions";
import { holderOf, pick, readAnswers } from "./definition";
import { isKnownCustomer, recordReferral } from "./referral";
import { linkRefusal, type PublicForm } from "./service";

export type Submission = { phone: string; code: string; raw: Record<string, unknown>; locale: string };
export type Submitted = { card: Card; created: boolean };

/** The report source of a card issued through a link: its group or company, else the plain enrolment. */
export const sourceOfLink = (link: Pick<PublicForm, "source">): CardSource => (link.source ? `${link.source.kind}:${link.source.id}` : "enrolment");

/**
 * Welcome points from a group or a company, once per card (idempotency key `welcome:<cardId>`), in the
 * caller's transaction so a card is never issued without them. Returns the jobs to wake after commit.
 */
async function payWelcome(tx: Db, ctx: EventContext, cardId: string, points: number, reason: string) {
  const locked = await lockCard(tx, ctx.merchantId, cardId);
  const { wake } = await writeEntry(tx, ctx, locked, {
    type: "accrue",
    movements: [points],
    accrued: points,
    redeemed: 0,
    reason,
    idempotencyKey: `welcome:${cardId}`,
  });
  return wake;
}

/**
 * A customer sends a registration form: the answers are read against the form (required fields, each
 * text's length and pattern, required consent boxes), the code proves the phone, and a card of the
 * form's template is issued — unless the phone already holds one, which it keeps (no second card, no
 * second bonus, not counted against a cap). Answers are kept per customer, and every consent box ticked
 * is recorded with its exact text, text version and time; a marketing box also gives the marketing
 * consent SMS news reads. Through a group's or a company's link the card counts against its cap (under
 * the link's row lock, so parallel sign-ups cannot pass it together), carries it as its source, gets
 * its starting discount or level and its welcome bonus.
 */
export async function submitForm(db: Db, link: PublicForm, input: Submission, now = new Date()): Promise<Submitted> {
  const { form, merchant, source } = link;
  const refusal = linkRefusal(link, now);
  if (refusal) throw new AppError("forbidden", refusal);
  const read = readAnswers(form.definition, input.raw);
  if (!read.ok) throw new AppError("validation", "errors.validation", read.errors);
  await verifyCode(db, { phone: input.phone, purpose: "enrol", code: input.code, merchantId: merchant.id }, now);

  const ctx: EventContext = { merchantId: merchant.id, actor: { type: "system" } };
  const jobs = new Set<string>();
  const result = await db.transaction(async (tx) => {
    if (source) {
      // The cap counts the cards this link issued; the lock makes the count and the issue one step.
      await tx
        .select({ id: registrationSources.id })
        .from(registrationSources)
        .where(and(eq(registrationSources.id, source.id), eq(registrationSources.merchantId, merchant.id)))
        .for("update");
    }
    const holder = holderOf(form.definition, read.answers);
    // A referral counts a new customer only: a phone the merchant knew before is nobody's friend.
    const known = await isKnownCustomer(tx, merchant.id, input.phone);
    const issued = await issueCardOnce(
      tx,
      merchant.id,
      { type: "system" },
      {
        templateId: form.templateId,
        customer: { phone: input.phone, ...holder },
        ...(source?.discount != null && { discount: source.discount }),
        // A company's starting level: the card's level floor (lib/ledger/levels), its discount from the start.
        ...(source?.levelFloor != null && { levelFloor: source.levelFloor }),
      },
      "return",
      sourceOfLink(link),
    );
    let card = issued.card;
    if (issued.created && source) {
      if (source.maxRegistrations !== null) {
        const [{ n }] = await tx
          .select({ n: count() })
          .from(cards)
          .where(and(eq(cards.merchantId, merchant.id), eq(cards.sourceId, source.id)));
        if (n >= source.maxRegistrations) throw new AppError("forbidden", "forms.errors.full");
      }
      [card] = await tx
        .update(cards)
        .set({ sourceId: source.id })
        .where(and(eq(cards.id, card.id), eq(cards.merchantId, merchant.id)))
        .returning();
      if (source.welcomeBonus > 0) {
        for (const job of await payWelcome(tx, ctx, card.id, source.welcomeBonus, source.name)) jobs.add(job);
        [card] = await tx
          .select()
          .from(cards)
          .where(and(eq(cards.id, card.id), eq(cards.merchantId, merchant.id)));
      }
    }
    const customerId = card.customerId!;
    await tx.insert(formSubmissions).values({
      merchantId: merchant.id,
      formId: form.id,
      formVersion: form.version,
      sourceId: source?.id ?? null,
      customerId,
      cardId: card.id,
      answers: read.answers,
    });
    if (issued.created && !known)
      await recordReferral(tx, form, { customerId, cardId: card.id }, typeof input.raw.ref === "string" ? input.raw.ref : undefined);
    const ticked = form.definition.consents.filter((c) => read.consents.includes(c.key));
    if (ticked.length) {
      await tx.insert(consentRecords).values(
        ticked.map((c) => ({
          merchantId: merchant.id,
          customerId,
          formId: form.id,
          consentKey: c.key,
          textVersion: c.version,
          text: pick(c.text, input.locale),
          locale: input.locale,
          marketing: c.marketing,
          at: now,
        })),
      );
    }
    const marketing = ticked.find((c) => c.marketing);
    if (marketing) await giveMarketingConsent(tx, merchant.id, customerId, pick(marketing.text, input.locale), now, "customer");
    return { card, created: issued.created };
  });
  await wake(jobs);
  return result;
}
