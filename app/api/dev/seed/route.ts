// POST /api/dev/seed — a merchant with its owner, made straight in the database (browser tests only)
import { z } from "zod";
import { getDb } from "@/db";
import { issueCard } from "@/lib/cards";
import { devTokenGiven } from "@/lib/dev/token";
import { emptyDefinition, referralSchema } from "@/lib/forms/definition";
import { createForm } from "@/lib/forms/service";
import { createLocation } from "@/lib/locations";
import { createMerchantWithOwner } from "@/lib/merchants";
import { currentConsentText, giveMarketingConsent } from "@/lib/push-events/consent";
import { seedReportHistory } from "@/lib/reports/demo-history";
import { createTemplate } from "@/lib/templates";
import { signUpSchema } from "@/lib/validations/auth";
import { requiredText } from "@/lib/validations/common";

const body = signUpSchema.extend({
  history: z.boolean().optional(),
  /** Customers, each with a card of a loyalty template made for them; `marketingConsent`: they agreed to SMS news. */
  cards: z
    .array(z.object({ phone: z.string().regex(/^\+\d{10,15}$/), name: requiredText(120), marketingConsent: z.boolean().optional() }))
    .max(10)
    .optional(),
  /** A registration form for that template that rewards referrals on these terms. */
  referral: referralSchema.optional(),
  /** Points of sale by name, made in this order. */
  locations: z.array(requiredText(120)).max(20).optional(),
});

/**
 * Browser tests start most scenarios from a signed-up merchant; making one here instead of through
 * sign-up's form and e-mail link keeps them fast and independent of it (the sign-up spec covers the
 * form). Like the dev outbox it answers only with `Authorization: Bearer <DEV_OUTBOX>`, 404 otherwise.
 */
export async function POST(request: Request): Promise<Response> {
  if (!devTokenGiven(request)) return new Response("Not found", { status: 404 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: z.flattenError(parsed.error).fieldErrors }, { status: 422 });
  const { history, cards, referral, locations, ...signUp } = parsed.data;
  const db = getDb();
  const { merchant, owner } = await createMerchantWithOwner(db, signUp);
  const actor = { merchantId: merchant.id, userId: owner.id };
  // `history`: a few months of cards, installs and purchases, so the reports have something to draw.
  if (history) {
    const template = await createTemplate(db, actor, { name: "Coffee card", kind: "loyalty" });
    await createLocation(db, actor, { name: "Tverskaya", address: "", latitude: 55.7579, longitude: 37.6131, nearbyText: "" });
    await seedReportHistory(db, { id: merchant.id, ownerId: owner.id, templateId: template.id });
  }
  for (const name of locations ?? []) await createLocation(db, actor, { name, address: "", latitude: 55.7579, longitude: 37.6131, nearbyText: "" });
  // `cards` and `referral`: customers holding cards, and a form whose "invite a friend" pays points.
  const seeded: { templateId?: string; cardIds: string[]; formToken?: string } = { cardIds: [] };
  if (cards?.length || referral) {
    const template = await createTemplate(db, actor, { name: "Club card", kind: "loyalty" });
    seeded.templateId = template.id;
    const consentText = cards?.some((c) => c.marketingConsent) ? await currentConsentText(db, merchant.id) : "";
    for (const { marketingConsent, ...customer } of cards ?? []) {
      const card = await issueCard(db, merchant.id, { type: "staff", userId: owner.id }, { templateId: template.id, customer });
      if (marketingConsent) await giveMarketingConsent(db, merchant.id, card.customerId!, consentText);
      seeded.cardIds.push(card.id);
    }
    if (referral) {
      const definition = { ...emptyDefinition(), title: { en: "Join the club", ru: "Вступайте в клуб" }, referral };
      seeded.formToken = (await createForm(db, actor, { name: "Club", templateId: template.id, active: true, definition })).token;
    }
  }
  return Response.json({ merchantId: merchant.id, slug: merchant.slug, ownerId: owner.id, ...seeded }, { status: 201 });
}
