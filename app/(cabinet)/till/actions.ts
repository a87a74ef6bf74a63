"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { AppError } from "@/lib/errors";
import { presentLookup, presentTransaction } from "@/lib/api/ledger";
import { reverseTransaction } from "@/lib/ledger";
import { cancelConfirmation, confirmTransaction } from "@/lib/till/confirm";
import { issueAtCounter } from "@/lib/till/issue";
import { startAuthorization, verifyAuthorization } from "@/lib/till/pin";
import { postAtTill } from "@/lib/till/post";
import { findAtTill, staffTillContext } from "@/lib/till/staff";
import { programOf } from "@/lib/templates/definition";
import { certificateRuleOf } from "@/lib/gift-certificates/ledger-rules";
import { customerFieldsSchema } from "@/lib/validations/customers";
import { ownNumberSchema } from "@/lib/validations/cards";
import { confirmCodeSchema, verifyPinSchema } from "@/lib/validations/till";
import { postTransactionSchema } from "@/lib/validations/ledger";
import { requiredText } from "@/lib/validations/common";

const revalidate = ["/till"];
const tillId = z.preprocess((v) => (v === "" ? undefined : v), z.uuid().optional());
const key = z.string().min(8).max(100);
const int = (v: unknown) => (v === "" || v === undefined ? undefined : Number(v));

type Found = Awaited<ReturnType<typeof findAtTill>>;
/**
 * The lookup as the screen shows it, with the programme so it can preview a purchase by the ledger's
 * own rules, and what a pool card is (a gift certificate in money or a product, a coupon; null: none).
 */
const view = async (found: Found) => {
  const rule =
    found.template.kind === "gift" || found.template.kind === "coupon" ? await certificateRuleOf(getDb(), found.card.merchantId, found.card.id) : null;
  return {
    ...presentLookup(found),
    program: programOf(found.template.kind, found.definition),
    purchaseTotal: found.card.purchaseTotal,
    certificate: rule ? ((rule.coupon ? "coupon" : rule.product ? "product" : "money") as "coupon" | "product" | "money") : null,
  };
};

export const tillLookupAction = staffAction({ permission: "till.use", schema: z.object({ q: z.string().max(300), tillId }) }, async (ctx, input) => {
  const db = getDb();
  const till = await staffTillContext(db, ctx, input.tillId);
  return view(await findAtTill(db, till, input.q, ctx.merchant.country));
});

const postSchema = z.preprocess(
  (raw) => {
    const f = (raw ?? {}) as Record<string, unknown>;
    return {
      type: f.type,
      ...(f.type === "purchase" ? { amount: int(f.amount), redeemPoints: int(f.redeemPoints) ?? 0 } : { points: int(f.points) }),
      ...(f.receipt ? { receipt: f.receipt } : {}),
      cardId: f.cardId,
      tillId: f.tillId,
      key: f.key,
      skipReason: f.skipReason || undefined,
    };
  },
  z.object({
    cardId: z.uuid(),
    tillId,
    key,
    skipReason: requiredText(200).optional(),
    type: z.enum(["accrue", "redeem", "purchase"]),
    amount: z.number().optional(),
    redeemPoints: z.number().optional(),
    points: z.number().optional(),
    receipt: z.string().optional(),
  }),
);

export const tillPostAction = staffAction({ permission: "points.post", schema: postSchema, revalidate }, async (ctx, input) => {
  const db = getDb();
  const till = await staffTillContext(db, ctx, input.tillId);
  // Only what was given: a purchase is a strict object, and an empty key would be refused.
  const given = Object.fromEntries(
    Object.entries({ type: input.type, amount: input.amount, redeemPoints: input.redeemPoints, points: input.points, receipt: input.receipt }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  const parsed = postTransactionSchema.safeParse(given);
  // The ledger's own rules for the numbers, told next to the form like any refusal.
  if (!parsed.success) throw new AppError("validation", parsed.error.issues[0]?.message ?? "errors.validation");
  const request = parsed.data;
  const outcome = await postAtTill(db, till, {
    ...request,
    cardId: input.cardId,
    idempotencyKey: `till-screen:${input.key}`,
    skipConfirmation: input.skipReason ? { reason: input.skipReason } : undefined,
  });
  return outcome.pending ? { pending: outcome.pending } : { transaction: presentTransaction(outcome.posted!.transaction) };
});

export const tillConfirmAction = staffAction(
  { permission: "points.post", schema: confirmCodeSchema.extend({ id: z.uuid(), tillId }), revalidate },
  async (ctx, input) => {
    const db = getDb();
    const till = await staffTillContext(db, ctx, input.tillId);
    const posted = await confirmTransaction(
      db,
      till,
      input.id,
      input.code,
      async (request, confirmedId) => (await postAtTill(db, till, request, confirmedId)).posted!,
    );
    return { transaction: presentTransaction(posted.transaction) };
  },
);

export const tillCancelAction = staffAction({ permission: "points.post", schema: z.object({ id: z.uuid() }), revalidate }, async (ctx, { id }) =>
  cancelConfirmation(getDb(), ctx.merchantId, id),
);

export const tillPinStartAction = staffAction(
  { permission: "till.use", schema: (ctx) => customerFieldsSchema(ctx.merchant.country).pick({ phone: true }).extend({ tillId }) },
  async (ctx, input) => startAuthorization(getDb(), await staffTillContext(getDb(), ctx, input.tillId), input.phone),
);

export const tillPinVerifyAction = staffAction({ permission: "till.use", schema: verifyPinSchema.extend({ id: z.uuid() }) }, async (ctx, input) => {
  const db = getDb();
  const found = await verifyAuthorization(db, ctx.merchantId, input.id, input.pin);
  return view(found as Found);
});

export const tillIssueAction = staffAction(
  {
    permission: "cards.issue",
    schema: (ctx) => customerFieldsSchema(ctx.merchant.country).omit({ email: true }).extend({ number: ownNumberSchema, tillId }),
    revalidate,
  },
  async (ctx, input) => {
    const db = getDb();
    const till = await staffTillContext(db, ctx, input.tillId);
    const { number, tillId: _till, ...customer } = input;
    const card = await issueAtCounter(db, till, { customer, number });
    return view(await findAtTill(db, till, card.number, ctx.merchant.country));
  },
);

export const tillReverseAction = staffAction({ permission: "points.manage", schema: z.object({ id: z.uuid(), key }), revalidate }, async (ctx, input) => {
  const { transaction } = await reverseTransaction(
    getDb(),
    { merchantId: ctx.merchantId, actor: { type: "staff", userId: ctx.userId } },
    {
      transactionId: input.id,
      idempotencyKey: `till-screen-reverse:${input.key}`,
    },
  );
  return { transaction: presentTransaction(transaction) };
});
