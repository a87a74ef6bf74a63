import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, asc, count, desc, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db";
import { cards, customers, referrals, registrationForms, type RegistrationForm } from "@/db/schema";
import { encryptionKey } from "@/lib/crypto/secrets";
import { erasedPhoneHashOf } from "@/lib/customers/data-rights";
import { formLink } from "./look";
import { postTransaction } from "@/lib/ledger";
import { logger } from "@/lib/logger";

// "Invite a friend": a card's holder shares a personal link (the form's link with `?ref=<code>`); a
// friend who enrols through it as a new customer is recorded once (referrals, one per new customer),
// with the form's reward terms as they were then; when the friend's card reaches a wallet or is first
// used (the referral follower, lib/forms/referral-follower), the rewards fall due and the referral job
// pays them through the ledger, once each (idempotency keys).

const macOf = (merchantId: string, cardId: string) => createHmac("sha256", encryptionKey()).update(`referral:${merchantId}:${cardId}`).digest().subarray(0, 9);
const uuidBytes = (id: string) => Buffer.from(id.replaceAll("-", ""), "hex");
const uuidOf = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** The inviter's code: their card's id and a MAC, 34 characters of base64url; it cannot be made up. */
export function referralCode(merchantId: string, cardId: string): string {
  return `${uuidBytes(cardId).toString("base64url")}${macOf(merchantId, cardId).toString("base64url")}`;
}

export function readReferralCode(merchantId: string, code: string | undefined): string | null {
  if (!code || !/^[A-Za-z0-9_-]{34}$/.test(code)) return null;
  const cardId = uuidOf(Buffer.from(code.slice(0, 22), "base64url"));
  const mac = Buffer.from(code.slice(22), "base64url");
  const expected = macOf(merchantId, cardId);
  return mac.length === expected.length && timingSafeEqual(mac, expected) ? cardId : null;
}

/** The form a card's holder invites friends to: the merchant's first active form of the card's template that rewards referrals. */
export async function referralFormFor(db: Db, merchantId: string, templateId: string): Promise<RegistrationForm | null> {
  const [form] = await db
    .select()
    .from(registrationForms)
    .where(
      and(
        eq(registrationForms.merchantId, merchantId),
        eq(registrationForms.templateId, templateId),
        eq(registrationForms.active, true),
        sql`${registrationForms.definition}->'referral' is not null and ${registrationForms.definition}->>'referral' <> 'null'`,
      ),
    )
    .orderBy(asc(registrationForms.createdAt))
    .limit(1);
  return form ?? null;
}

/**
 * The one rule for "invite a friend": a card that still works, of a template whose active form rewards
 * referrals, offers its holder that form's link with the card's code; anything else offers nothing.
 */
export async function invitationFor(
  db: Db,
  appUrl: string,
  card: { id: string; merchantId: string; templateId: string; blockReason: string | null },
): Promise<{ url: string; terms: NonNullable<RegistrationForm["definition"]["referral"]> } | null> {
  if (card.blockReason !== null) return null;
  const form = await referralFormFor(db, card.merchantId, card.templateId);
  const terms = form?.definition.referral;
  if (!form || !terms) return null;
  return { url: `${formLink(appUrl, form.token)}?ref=${referralCode(card.merchantId, card.id)}`, terms };
}

/**
 * Records a referral for a friend who has just enrolled as a new customer, in the enrolment's own
 * transaction; a code that is not genuine, the friend's own card, or a customer already referred
 * records nothing.
 */
export async function recordReferral(tx: Db, form: RegistrationForm, friend: { customerId: string; cardId: string }, code: string | undefined): Promise<void> {
  const terms = form.definition.referral;
  if (!terms) return;
  const inviterCardId = readReferralCode(form.merchantId, code);
  if (!inviterCardId) return;
  const [inviter] = await tx
    .select({ customerId: cards.customerId })
    .from(cards)
    .where(and(eq(cards.id, inviterCardId), eq(cards.merchantId, form.merchantId)));
  if (!inviter?.customerId || inviter.customerId === friend.customerId) return;
  await tx
    .insert(referrals)
    .values({
      merchantId: form.merchantId,
      formId: form.id,
      inviterCustomerId: inviter.customerId,
      inviterCardId,
      friendCustomerId: friend.customerId,
      friendCardId: friend.cardId,
      rewardOn: terms.on,
      inviterBonus: terms.inviterBonus,
      friendBonus: terms.friendBonus,
    })
    .onConflictDoNothing();
}

/**
 * Whether a phone is already the merchant's customer, or was one and was erased (a referral counts new
 * customers only, so erasing and enrolling again through a friend's link pays nobody).
 */
export async function isKnownCustomer(tx: Db, merchantId: string, phone: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), or(eq(customers.phone, phone), eq(customers.erasedPhoneHash, erasedPhoneHashOf(merchantId, phone)))))
    .limit(1);
  return !!row;
}

/**
 * Pays the rewards that fell due: the friend's and the inviter's points, each once (the ledger's
 * idempotency keys `referral:<id>:friend` / `:inviter`), then marks the referral paid. A card that can
 * no longer take points (blocked, deleted) is skipped with a log line, and the rest still paid.
 */
export async function payDueReferrals(db: Db, limit = 100): Promise<{ paid: number }> {
  const due = await db
    .select()
    .from(referrals)
    .where(and(isNotNull(referrals.dueAt), isNull(referrals.rewardedAt)))
    .orderBy(asc(referrals.dueAt))
    .limit(limit);
  for (const r of due) {
    const ctx = { merchantId: r.merchantId, actor: { type: "system" as const } };
    const pay = async (cardId: string | null, points: number, who: "friend" | "inviter") => {
      if (!cardId || points <= 0) return;
      try {
        await postTransaction(db, ctx, { type: "accrue", points, cardId, idempotencyKey: `referral:${r.id}:${who}`, reason: "referral" });
      } catch (err) {
        logger.warn("referral reward not paid", { referralId: r.id, who, error: err instanceof Error ? err.message : String(err) });
      }
    };
    await pay(r.friendCardId, r.friendBonus, "friend");
    await pay(r.inviterCardId, r.inviterBonus, "inviter");
    await db
      .update(referrals)
      .set({ rewardedAt: new Date() })
      .where(and(eq(referrals.id, r.id), eq(referrals.merchantId, r.merchantId)));
  }
  return { paid: due.length };
}

export const REFERRAL_STATES = ["pending", "due", "rewarded"] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];
export const REFERRALS_PAGE_SIZE = 50;

const stateWhere = (state: ReferralState) =>
  state === "pending"
    ? isNull(referrals.dueAt)
    : state === "due"
      ? and(isNotNull(referrals.dueAt), isNull(referrals.rewardedAt))
      : isNotNull(referrals.rewardedAt);

/**
 * The merchant's referrals, newest first: who invited whom (an erased customer shows no name), when,
 * the rewards and their state — pending (the friend's card not yet installed or used), due, rewarded.
 */
export async function listReferrals(db: Db, merchantId: string, opts: { page: number; state?: ReferralState }) {
  const inviter = alias(customers, "inviter");
  const friend = alias(customers, "friend");
  const inviterCard = alias(cards, "inviter_card");
  const friendCard = alias(cards, "friend_card");
  const where = and(eq(referrals.merchantId, merchantId), opts.state ? stateWhere(opts.state) : undefined);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: referrals.id,
        createdAt: referrals.createdAt,
        dueAt: referrals.dueAt,
        rewardedAt: referrals.rewardedAt,
        rewardOn: referrals.rewardOn,
        inviterBonus: referrals.inviterBonus,
        friendBonus: referrals.friendBonus,
        formName: registrationForms.name,
        inviter: { name: inviter.name, phone: inviter.phone },
        inviterCard: { id: inviterCard.id, number: inviterCard.number },
        friend: { name: friend.name, phone: friend.phone },
        friendCard: { id: friendCard.id, number: friendCard.number },
      })
      .from(referrals)
      .leftJoin(registrationForms, and(eq(registrationForms.id, referrals.formId), eq(registrationForms.merchantId, merchantId)))
      .leftJoin(inviter, and(eq(inviter.id, referrals.inviterCustomerId), eq(inviter.merchantId, merchantId)))
      .leftJoin(friend, and(eq(friend.id, referrals.friendCustomerId), eq(friend.merchantId, merchantId)))
      .leftJoin(inviterCard, and(eq(inviterCard.id, referrals.inviterCardId), eq(inviterCard.merchantId, merchantId)))
      .leftJoin(friendCard, and(eq(friendCard.id, referrals.friendCardId), eq(friendCard.merchantId, merchantId)))
      .where(where)
      .orderBy(desc(referrals.createdAt), desc(referrals.id))
      .limit(REFERRALS_PAGE_SIZE)
      .offset((opts.page - 1) * REFERRALS_PAGE_SIZE),
    db.select({ total: count() }).from(referrals).where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, state: (r.rewardedAt ? "rewarded" : r.dueAt ? "due" : "pending") as ReferralState })),
    total,
  };
}
