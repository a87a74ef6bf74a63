"use server";

import { getFormatter, getLocale } from "next-intl/server";
import { z } from "zod";
import { cardBarcodeSlots } from "@/components/cards/barcode-slots";
import { cardPreviewValues } from "@/components/cards/card-values";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import type { StaffContext } from "@/lib/auth/session";
import { definitionAsShown } from "@/lib/push-events";
import { AppError } from "@/lib/errors";
import { presentLookup, presentTransaction } from "@/lib/api/ledger";
import { authorizationBodySchema } from "@/lib/api/till-schemas";
import { reverseTransaction } from "@/lib/ledger";
import { lookupCard } from "@/lib/ledger/lookup";
import { cancelConfirmation, confirmTransaction } from "@/lib/till/confirm";
import { issueAtCounter } from "@/lib/till/issue";
import { startAuthorization, verifyAuthorization } from "@/lib/till/pin";
import { postAtTill } from "@/lib/till/post";
import { getTillOrThrow } from "@/lib/till/tills";
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

/** What a pool card is (lib/gift-certificates): a gift certificate in money or a product, or a coupon; null for any other card. */
async function certificateKindOf(found: Found): Promise<"money" | "product" | "coupon" | null> {
  if (found.template.kind !== "gift" && found.template.kind !== "coupon") return null;
  const rule = await certificateRuleOf(getDb(), found.card.merchantId, found.card.id);
  return rule ? (rule.coupon ? "coupon" : rule.product ? "product" : "money") : null;
}

/**
 * The lookup as the screen shows it: the programme (to preview a purchase by the ledger's own rules)
 * and the card's pass as the wallets draw it (the card page's preview: its values and barcode).
 */
async function view(ctx: StaffContext, found: Found) {
  const db = getDb();
  const definition = await definitionAsShown(db, ctx.merchantId, found.card, found.definition);
  const locale = await getLocale();
  return {
    ...presentLookup(found),
    program: programOf(found.template.kind, found.definition),
    purchaseTotal: found.card.purchaseTotal,
    levelFloor: found.card.levelFloor,
    certificate: await certificateKindOf(found),
    pass: {
      definition,
      kind: found.template.kind,
      merchantName: ctx.merchant.name,
      values: cardPreviewValues(await getFormatter(), {
        card: found.card,
        holderName: found.customer?.name ?? "",
        kind: found.template.kind,
        currency: ctx.merchant.currency,
        locale,
        definition: found.definition,
      }),
      barcodes: await cardBarcodeSlots(definition, found.card),
    },
  };
}

export const tillLookupAction = staffAction(
  { permission: "till.use", schema: z.object({ q: z.string().max(300), cardId: z.uuid().optional(), tillId }) },
  async (ctx, input) => {
    const db = getDb();
    const till = await staffTillContext(db, ctx, input.tillId);
    // Asked again by id after a change: the card on screen, whatever it was found by (a rotating QR is good for a day).
    return view(ctx, input.cardId ? await lookupCard(db, ctx.merchantId, { id: input.cardId }) : await findAtTill(db, till, input.q, ctx.merchant.country));
  },
);

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

/** A PIN to the phone, or to the holder of the card with that number (a rotating QR out of date): the API's own body (lib/api/till-schemas). */
export const tillPinStartAction = staffAction(
  { permission: "till.use", schema: (ctx) => z.intersection(authorizationBodySchema(ctx.merchant.country), z.object({ tillId })) },
  async (ctx, { tillId: chosen, ...target }) => startAuthorization(getDb(), await staffTillContext(getDb(), ctx, chosen), target),
);

export const tillPinVerifyAction = staffAction({ permission: "till.use", schema: verifyPinSchema.extend({ id: z.uuid() }) }, async (ctx, input) => {
  const db = getDb();
  const found = await verifyAuthorization(db, ctx.merchantId, input.id, input.pin);
  return view(ctx, found as Found);
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
    // By the new card's own number: the cashier is looking at it, so no rotating-QR rule applies (lib/till/qr).
    return view(ctx, await lookupCard(db, ctx.merchantId, { id: card.id }));
  },
);

export const tillReverseAction = staffAction(
  { permission: "points.manage", schema: z.object({ id: z.uuid(), key, tillId }), revalidate },
  async (ctx, input) => {
    const db = getDb();
    // The till must be the merchant's before it is written on the reversal.
    const till = input.tillId ? await getTillOrThrow(db, ctx.merchantId, input.tillId) : null;
    const { transaction } = await reverseTransaction(
      db,
      { merchantId: ctx.merchantId, actor: { type: "staff", userId: ctx.userId } },
      {
        transactionId: input.id,
        idempotencyKey: `till-screen-reverse:${input.key}`,
      },
      { tillId: till?.id },
    );
    return { transaction: presentTransaction(transaction) };
  },
);
