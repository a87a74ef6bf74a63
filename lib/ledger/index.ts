import "server-only";
import { createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { reusable } from "@/db/reusable";
import { cards, ledgerTransactions, type LedgerTransaction } from "@/db/schema";
import { wake, type DomainEvent, type EventContext, type Wake } from "@/lib/card-events";
import { AppError, NotFoundError, isUniqueViolation } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import type { PostTransactionInput, ReverseTransactionInput } from "@/lib/validations/ledger";
import {
  certificateAccrualRefused,
  certificateRuleOf,
  checkCertificatePlace,
  checkCertificateRedeem,
  isPoolCard,
  refuseUsedCoupon,
} from "@/lib/gift-certificates/ledger-rules";
import { programAt } from "./levels";
import { checkRedeem, insufficientBalance, purchaseOf, reversalOf, type Reversible } from "./rules";
import { checkStampRedeem, stampPurchaseOf } from "./stamps";
import { checkLocation, checkUsable, lockCard, writeEntry, type LockedCard } from "./write";

export { maxRedeemable } from "./rules";
export { cardExpiring, type Expiring } from "./lots";
export { discountOf, levelOf, programAt, type LevelView } from "./levels";
export { stampsOf, type StampsView } from "./stamps";

/**
 * What a till adds to a write (lib/till): the till it is made at, the id to give the transaction (a
 * confirmed one keeps its confirmation's), and a check run under the card's lock once the points to
 * spend are known (guard-rail limits, "confirm by a code") — it may refuse, and nothing is written.
 */
export type TillPart = {
  tillId?: string | null;
  /** The till's own point of sale: where it redeems when the request names none (a certificate's points of sale are checked against it). */
  locationId?: string | null;
  id?: string | null;
  /** May refuse (throw); what it returns are more events of the transaction (a skipped confirmation). */
  check?: (tx: Db, locked: LockedCard, spend: { redeemed: number; accrued: number }) => Promise<DomainEvent[] | void>;
};

/** What a ledger write answers: the transaction, and whether it is one made earlier under the same idempotency key. */
export type Posted = { transaction: LedgerTransaction; replayed: boolean };

/** The request as the service read it, hashed: key order and whitespace of the client's JSON do not matter. */
function hashRequest(value: Record<string, unknown>): string {
  const sorted = Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

// Built once (db/reusable): every till write asks it first.
const transactionByKey = reusable((db) =>
  db
    .select()
    .from(ledgerTransactions)
    .where(and(eq(ledgerTransactions.merchantId, sql.placeholder("merchantId")), eq(ledgerTransactions.idempotencyKey, sql.placeholder("key")))),
);

export async function findTransactionByKey(db: Db, merchantId: string, idempotencyKey: string): Promise<LedgerTransaction | null> {
  const [row] = await transactionByKey(db, { merchantId, key: idempotencyKey });
  return row ?? null;
}

export async function getTransactionOrThrow(db: Db, merchantId: string, id: string): Promise<LedgerTransaction> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(ledgerTransactions)
        .where(and(eq(ledgerTransactions.id, id), eq(ledgerTransactions.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

/** A write found, under the card's lock, that a racing request with its key committed first: `once` answers that one. */
class KeyTaken extends Error {}

/**
 * Idempotency by (merchant, key), for as long as the transaction exists: the same key with the same
 * request answers the stored transaction as it is now and moves nothing; with another request it is
 * a conflict. Two racing requests with one key: the second waits on the card's lock or on the key's
 * unique index, rolls back, and answers the first one's transaction, also when the first one's
 * points left it refused by a rule (the balance it spent, a reversal already made). `checkedInside`: the write looks
 * for the key itself, in its transaction (throwing `KeyTaken`), so the common case, a new key, costs no
 * round trip of its own before it.
 */
async function once(
  db: Db,
  merchantId: string,
  key: string | null | undefined,
  requestHash: string,
  write: () => Promise<{ transaction: LedgerTransaction; wake: Wake }>,
  options: { checkedInside?: boolean } = {},
): Promise<Posted> {
  const replay = async (): Promise<Posted | null> => {
    if (!key) return null;
    const stored = await findTransactionByKey(db, merchantId, key);
    if (!stored) return null;
    if (stored.requestHash !== requestHash) throw new AppError("conflict", "api.errors.idempotencyMismatch");
    return { transaction: stored, replayed: true };
  };
  const earlier = options.checkedInside ? null : await replay();
  if (earlier) return earlier;
  try {
    const done = await write();
    await wake(done.wake);
    return { transaction: done.transaction, replayed: false };
  } catch (err) {
    // A rule refusing the request (the balance, the limit, "already reversed") may be refusing it only
    // because a racing request with this key moved the points first: its key was looked up before the
    // card's lock was taken, and seen only afterwards. Then the answer is that request's transaction.
    const raced = err instanceof KeyTaken || err instanceof AppError || isUniqueViolation(err, "ledger_transactions_merchant_key") ? await replay() : null;
    if (raced) return raced;
    throw err;
  }
}

/** Normalised before hashing, so leaving `redeemPoints` out and sending 0 are the same request. */
const normalisedPost = (given: PostTransactionInput): PostTransactionInput =>
  given.type === "purchase" ? { ...given, redeemPoints: given.redeemPoints ?? 0 } : given;

/**
 * The request an idempotency key stands for, hashed: the card and the body, whatever their key order.
 * The till compares a confirmation's kept request with a new one under its key by it too.
 */
export function postRequestHash({ cardId, reason, ...given }: PostTransactionInput & { cardId: string; reason?: string }): string {
  return hashRequest({ op: "post", cardId, ...normalisedPost(given), reason });
}

/**
 * The one way points move at a till: accrue, redeem, or a purchase (redeem the chosen points, capped
 * by the programme, then accrue on the money part: one transaction, two movements). Blocked and
 * expired cards are refused.
 */
export async function postTransaction(
  db: Db,
  ctx: EventContext,
  input: PostTransactionInput & { cardId: string; idempotencyKey?: string | null; reason?: string },
  till: TillPart = {},
): Promise<Posted> {
  // `reason`: staff redeeming in the cabinet say why (a certificate handed in without a till).
  const { cardId, idempotencyKey, reason, ...given } = input;
  const request = normalisedPost(given);
  const requestHash = postRequestHash({ cardId, reason, ...given });
  return once(
    db,
    ctx.merchantId,
    idempotencyKey,
    requestHash,
    () =>
      db.transaction(async (tx) => {
        // The key's earlier transaction and the card's lock in one round trip (sent together, run in this
        // order): a till's every receipt pays for the key's look-up, rarely for its replay.
        const [taken, lock] = await Promise.allSettled([
          idempotencyKey ? findTransactionByKey(tx, ctx.merchantId, idempotencyKey) : null,
          isUuid(cardId) ? lockCard(tx, ctx.merchantId, cardId) : Promise.reject(new NotFoundError()),
        ]);
        if (taken.status === "rejected") throw taken.reason;
        if (taken.value) throw new KeyTaken();
        if (lock.status === "rejected") throw lock.reason;
        const locked = lock.value;
        checkUsable(locked.card);
        await checkLocation(tx, ctx.merchantId, request.locationId);
        const where = {
          receipt: request.receipt || null,
          locationId: request.locationId ?? null,
          idempotencyKey,
          requestHash,
          tillId: till.tillId ?? null,
          id: till.id ?? null,
          ...(reason && { reason }),
        };
        const balance = locked.card.balance;
        switch (request.type) {
          case "accrue": {
            if (isPoolCard(locked)) throw certificateAccrualRefused();
            const extraEvents = (await till.check?.(tx, locked, { redeemed: 0, accrued: request.points })) || undefined;
            return writeEntry(tx, ctx, locked, { type: "accrue", movements: [request.points], accrued: request.points, redeemed: 0, extraEvents, ...where });
          }
          case "redeem":
            // A stamp card redeems whole rewards (see ./stamps); any other card, points within its programme's rules.
            if (isPoolCard(locked)) {
              const rule = await certificateRuleOf(tx, ctx.merchantId, cardId);
              // A till standing at a point of sale is held to it whatever the request names; the request's own is checked too.
              checkCertificatePlace(rule, till.locationId ?? null);
              checkCertificatePlace(rule, request.locationId ?? null);
              if (rule?.coupon && balance === 0) await refuseUsedCoupon(tx, ctx.merchantId, cardId);
              checkCertificateRedeem(rule, balance, request.points);
            } else if (locked.stamps) checkStampRedeem(locked.stamps, balance, request.points);
            else checkRedeem(locked.program, balance, request.points);
            const extraEvents = (await till.check?.(tx, locked, { redeemed: request.points, accrued: 0 })) || undefined;
            return writeEntry(tx, ctx, locked, { type: "redeem", movements: [-request.points], accrued: 0, redeemed: request.points, extraEvents, ...where });
          case "purchase": {
            // A stamp card earns a stamp (see ./stamps); any other card earns at the level the customer has
            // when paying, and the purchase then counts towards the next one.
            if (!locked.stamps && !locked.program) throw new AppError("validation", "ledger.errors.noProgramme", { type: "ledger.errors.noProgramme" });
            const { redeemed, accrued } = locked.stamps
              ? stampPurchaseOf(locked.stamps, balance, request.amount, request.redeemPoints ?? 0)
              : purchaseOf(programAt(locked.program!, locked.card)!, balance, request.amount, request.redeemPoints ?? 0);
            const extraEvents = (await till.check?.(tx, locked, { redeemed, accrued })) || undefined;
            return writeEntry(tx, ctx, locked, {
              type: "purchase",
              movements: [-redeemed, accrued],
              accrued,
              redeemed,
              amount: request.amount,
              purchaseDelta: request.amount,
              extraEvents,
              ...where,
            });
          }
        }
      }),
    { checkedInside: true },
  );
}

/**
 * Reverses a transaction in full or in part (see `reversalOf` for the rules). Refunds are taken on
 * blocked and expired cards too: the money went back either way. The card's lock also serialises
 * reversals of one transaction, so two cannot both undo the same points.
 */
export async function reverseTransaction(
  db: Db,
  ctx: EventContext,
  input: ReverseTransactionInput & { transactionId: string; idempotencyKey?: string | null },
  /** The till the reversal is made at (an API key bound to one, the cashier screen's), recorded on it. */
  till: { tillId?: string | null } = {},
): Promise<Posted> {
  const { transactionId, idempotencyKey, ...request } = input;
  const requestHash = hashRequest({ op: "reverse", transactionId, ...request });
  return once(db, ctx.merchantId, idempotencyKey, requestHash, async () => {
    const original = await getTransactionOrThrow(db, ctx.merchantId, transactionId);
    if (original.type === "reversal" || original.type === "expire") throw new AppError("conflict", "ledger.errors.notReversible");
    return db.transaction(async (tx) => {
      const locked = await lockCard(tx, ctx.merchantId, original.cardId);
      const [undone] = await tx
        .select({
          returned: sql<number>`coalesce(sum(${ledgerTransactions.accrued}), 0)::int`,
          takenBack: sql<number>`coalesce(sum(${ledgerTransactions.redeemed} + ${ledgerTransactions.shortfall}), 0)::int`,
          amount: sql<number>`coalesce(sum(${ledgerTransactions.amount}), 0)::bigint::int`,
        })
        .from(ledgerTransactions)
        .where(and(eq(ledgerTransactions.merchantId, ctx.merchantId), eq(ledgerTransactions.reversesId, original.id)));
      const effect = reversalOf({ ...original, type: original.type as Reversible["type"] }, undone, request, locked.card.balance);
      return writeEntry(tx, ctx, locked, {
        type: "reversal",
        movements: [effect.returned, -effect.take],
        accrued: effect.returned,
        redeemed: effect.take,
        shortfall: effect.shortfall,
        amount: effect.amount,
        reason: request.reason || null,
        receipt: original.receipt,
        locationId: original.locationId,
        reversesId: original.id,
        tillId: till.tillId ?? null,
        idempotencyKey,
        requestHash,
        // A refund lowers the total of purchases, and may lower the level.
        purchaseDelta: original.type === "purchase" ? -(effect.amount ?? 0) : 0,
        // Taken back from the original's own lot first; points given back expire as if earned when they were spent.
        spendFirstFrom: original.id,
        earnedAt: original.createdAt,
      });
    });
  });
}

/**
 * Sets a card's balance by an `adjust` transaction for the difference (a CRM syncing balances, staff
 * correcting one), in the caller's transaction. Works on blocked and expired cards too: it is the
 * merchant's own correction, not a till's. Returns the jobs to wake, or null when nothing changed.
 */
export async function adjustBalanceTo(tx: Db, ctx: EventContext, cardId: string, balance: number, reason?: string): Promise<Wake | null> {
  const locked = await lockCard(tx, ctx.merchantId, cardId);
  const delta = balance - locked.card.balance;
  if (delta === 0) return null;
  const { wake } = await writeEntry(tx, ctx, locked, {
    type: "adjust",
    movements: [delta],
    accrued: Math.max(delta, 0),
    redeemed: Math.max(-delta, 0),
    reason: reason ?? null,
  });
  return wake;
}

/**
 * A staff member's correction by a signed number of points with a reason (the card page's Adjust), as
 * an `adjust` transaction, once per idempotency key: the form carries a key made for each render, so
 * a double click (or a retried request) adjusts once and both answers show the one adjustment. With
 * `expectedTag` (the card's update tag when the form was drawn) a card changed since — a till's
 * purchase, another adjustment — is refused rather than silently overridden. A second submission that
 * waited on the card's lock while the first committed is told apart from such a change by its key,
 * looked up under the lock. `inTransaction` runs after the write, in its transaction.
 */
export async function adjustPoints(
  db: Db,
  ctx: EventContext,
  input: { cardId: string; points: number; reason: string; expectedTag?: number; idempotencyKey?: string | null },
  inTransaction?: (tx: Db) => Promise<void>,
): Promise<Posted> {
  const { cardId, idempotencyKey, ...request } = input;
  const requestHash = hashRequest({ op: "adjust", cardId, ...request });
  return once(db, ctx.merchantId, idempotencyKey, requestHash, () =>
    db.transaction(async (tx) => {
      if (!isUuid(cardId)) throw new NotFoundError();
      const locked = await lockCard(tx, ctx.merchantId, cardId);
      if (idempotencyKey && (await findTransactionByKey(tx, ctx.merchantId, idempotencyKey))) throw new KeyTaken();
      if (request.expectedTag !== undefined && locked.card.updateTag !== request.expectedTag) throw new AppError("conflict", "points.errors.changedMeanwhile");
      const balance = locked.card.balance;
      if (balance + request.points < 0) throw insufficientBalance(balance);
      const done = await writeEntry(tx, ctx, locked, {
        type: "adjust",
        movements: [request.points],
        accrued: Math.max(request.points, 0),
        redeemed: Math.max(-request.points, 0),
        reason: request.reason,
        idempotencyKey,
        requestHash,
      });
      await inTransaction?.(tx);
      return done;
    }),
  );
}

/** Where a page of a card's transactions ends: the last one's created_at in whole microseconds, and its id. */
export type TransactionKeyset = { micros: string; id: string };

const microsOf = sql<string>`(extract(epoch from ${ledgerTransactions.createdAt}) * 1000000)::bigint::text`;

/** A card's transactions, newest first, a page at a time (keyset on created_at, id). Another merchant's card is not found. */
export async function listCardTransactions(db: Db, merchantId: string, cardId: string, page: { after?: TransactionKeyset; limit: number }) {
  const [card] = isUuid(cardId)
    ? await db
        .select({ id: cards.id })
        .from(cards)
        .where(and(eq(cards.id, cardId), eq(cards.merchantId, merchantId)))
    : [];
  if (!card) throw new NotFoundError();
  const { after } = page;
  const rows = await db
    .select({ transaction: ledgerTransactions, micros: microsOf })
    .from(ledgerTransactions)
    .where(
      and(
        eq(ledgerTransactions.merchantId, merchantId),
        eq(ledgerTransactions.cardId, cardId),
        after
          ? sql`(${ledgerTransactions.createdAt}, ${ledgerTransactions.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(ledgerTransactions.createdAt), desc(ledgerTransactions.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return { rows: shown.map((r) => r.transaction), next: more && last ? { micros: last.micros, id: last.transaction.id } : null };
}
