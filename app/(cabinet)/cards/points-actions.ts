"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { staffActor } from "@/lib/cards/actor";
import { adjustCardPoints } from "@/lib/cards/points";
import { fieldError } from "@/lib/errors";
import { currencyDigits } from "@/lib/format/money";
import { reverseTransaction } from "@/lib/ledger";
import { postAtTill } from "@/lib/till/post";
import { staffTillContext } from "@/lib/till/staff";
import { adjustPointsFormSchema, majorToMinor, postPointsFormSchema, reversePointsFormSchema } from "@/lib/validations/points";

// The card page's Points section. Every write goes through lib/ledger; the form's key (one per render)
// is the ledger's idempotency key, prefixed so it never meets a till's own keys.
const ledgerKey = (key: string) => `cabinet:${key}`;
const cardPath = (id: string) => `/cards/${id}`;

/**
 * Accrue or redeem (cashiers too): the till's two moves, with an optional receipt and point of sale,
 * under the till's rules (lib/till): the guard rails apply, and spending the programme confirms by a
 * code is refused here (the cashier screen asks for the code) unless the staff member may skip it,
 * which is then recorded as a skip like the till's.
 */
export const postPointsAction = staffAction({ permission: "points.post", schema: postPointsFormSchema }, async (ctx, input) => {
  const db = getDb();
  const till = await staffTillContext(db, ctx, null);
  const { posted } = await postAtTill(
    db,
    till,
    {
      type: input.op,
      points: input.points,
      receipt: input.receipt,
      locationId: input.locationId,
      cardId: input.id,
      idempotencyKey: ledgerKey(input.key),
      ...(till.maySkip && { skipConfirmation: { reason: "card page in the cabinet" } }),
    },
    undefined,
    { refusePending: true },
  );
  const { transaction, replayed } = posted!;
  revalidatePath(cardPath(transaction.cardId));
  return { id: transaction.id, points: transaction.points, balanceAfter: transaction.balanceAfter, replayed };
});

/** A manager's correction by a signed number of points, with a reason the history keeps; once per form key (a double click adjusts once). */
export const adjustPointsAction = staffAction({ permission: "points.manage", schema: adjustPointsFormSchema }, async (ctx, input) => {
  const { transaction, replayed } = await adjustCardPoints(
    getDb(),
    { merchantId: ctx.merchantId, actor: staffActor(ctx.userId) },
    { cardId: input.id, expectedTag: input.expectedTag, points: input.points, reason: input.reason, idempotencyKey: ledgerKey(input.key) },
  );
  revalidatePath(cardPath(input.id));
  return { id: transaction.id, points: transaction.points, balanceAfter: transaction.balanceAfter, replayed };
});

/** A reversal in full (nothing typed) or in part: points, or for a purchase the money refunded. */
export const reversePointsAction = staffAction({ permission: "points.manage", schema: reversePointsFormSchema }, async (ctx, input) => {
  let amount: number | undefined;
  if (input.amount !== undefined) {
    const minor = majorToMinor(input.amount, currencyDigits(ctx.merchant.currency));
    if (minor === null || minor < 1) throw fieldError("amount", "points.errors.amount");
    amount = minor;
  }
  const { transaction } = await reverseTransaction(
    getDb(),
    { merchantId: ctx.merchantId, actor: staffActor(ctx.userId) },
    { transactionId: input.id, points: input.points, amount, reason: input.reason, idempotencyKey: ledgerKey(input.key) },
  );
  revalidatePath(cardPath(transaction.cardId));
  return { id: transaction.id, shortfall: transaction.shortfall };
});
