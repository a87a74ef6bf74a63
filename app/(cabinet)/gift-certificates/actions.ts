"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { staffActor } from "@/lib/cards/actor";
import { transitionCard } from "@/lib/cards";
import { normalizePhone } from "@/lib/customers/phone";
import { currencyDigits } from "@/lib/format/money";
import { createDefinition, getDefinitionOrThrow, setDefinitionArchived, updateDefinition } from "@/lib/gift-certificates/definitions";
import { issueCertificatesWithSms } from "@/lib/gift-certificates/sms";
import { dispatchOutbox } from "@/lib/outbox";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { getCertificateOrThrow } from "@/lib/gift-certificates/queries";
import { postAtTill } from "@/lib/till/post";
import { staffTillContext } from "@/lib/till/staff";
import {
  definitionFormSchema,
  definitionIdSchema,
  generateCodesFormSchema,
  issueCertificateFormSchema,
  majorToMinor,
  staffRedeemSchema,
} from "@/lib/validations/gift-certificates";
import { AppError } from "@/lib/errors";

export const saveDefinitionAction = staffAction(
  { permission: "giftCertificates.manage", schema: (ctx) => definitionFormSchema(currencyDigits(ctx.merchant.currency)) },
  async (ctx, { id, ...input }) => {
    const saved = id ? await updateDefinition(getDb(), ctx, id, input) : await createDefinition(getDb(), ctx, input);
    redirect(`/gift-certificates/${saved.id}`);
  },
);

export const archiveDefinitionAction = staffAction(
  { permission: "giftCertificates.manage", schema: definitionIdSchema, revalidate: ["/gift-certificates"] },
  async (ctx, { id }) => {
    await setDefinitionArchived(getDb(), ctx, id, true);
  },
);

export const restoreDefinitionAction = staffAction(
  { permission: "giftCertificates.manage", schema: definitionIdSchema, revalidate: ["/gift-certificates"] },
  async (ctx, { id }) => {
    await setDefinitionArchived(getDb(), ctx, id, false);
  },
);

export const generateCodesAction = staffAction(
  { permission: "giftCertificates.manage", schema: generateCodesFormSchema },
  async (ctx, { id, count, length }) => {
    const made = await generatePoolCodes(getDb(), ctx, id, { count, length });
    return { count: made };
  },
);

export const issueCertificateAction = staffAction(
  {
    permission: "giftCertificates.manage",
    schema: (ctx) => issueCertificateFormSchema(currencyDigits(ctx.merchant.currency), (raw) => normalizePhone(raw, ctx.merchant.country)),
  },
  async (ctx, { id, phone, amount, message, sendSms }) => {
    const { issued, outboxIds } = await getDb().transaction((tx) =>
      issueCertificatesWithSms(tx, { merchantId: ctx.merchantId, actor: staffActor(ctx.userId) }, id, [{ phone, amount, message: message || null }], {
        sendSms,
      }),
    );
    await dispatchOutbox(outboxIds);
    return { code: issued[0].code, cardId: issued[0].card.id, sent: outboxIds.length > 0 };
  },
);

/** Staff redeem with a reason (a certificate handed in without a till), through the ledger like any till's. */
export const staffRedeemAction = staffAction({ permission: "points.post", schema: staffRedeemSchema }, async (ctx, { id, amount, reason, idempotencyKey }) => {
  const db = getDb();
  const { card, code } = await getCertificateOrThrow(db, ctx.merchantId, id);
  const definition = await getDefinitionOrThrow(db, ctx.merchantId, code.definitionId);
  // A product certificate holds one unit and is redeemed whole; a sum left empty means all that is left.
  const points = definition.nominal === null || amount.trim() === "" ? card.balance : majorToMinor(amount, currencyDigits(ctx.merchant.currency));
  if (!Number.isInteger(points) || points <= 0)
    throw new AppError("validation", "giftCertificates.errors.nominal", { amount: "giftCertificates.errors.nominal" });
  // Under the till's guard rails like any redemption (a certificate runs no code confirmation).
  await postAtTill(db, await staffTillContext(db, ctx, null), { cardId: id, type: "redeem", points, reason, idempotencyKey }, undefined, {
    refusePending: true,
  });
  redirect(`/gift-certificates/certificates/${id}`);
});

export const blockCertificateAction = staffAction({ permission: "cards.manage", schema: definitionIdSchema }, async (ctx, { id }) => {
  await getCertificateOrThrow(getDb(), ctx.merchantId, id);
  await transitionCard(getDb(), ctx.merchantId, staffActor(ctx.userId), id, "block");
  redirect(`/gift-certificates/certificates/${id}`);
});

export const unblockCertificateAction = staffAction({ permission: "cards.manage", schema: definitionIdSchema }, async (ctx, { id }) => {
  await getCertificateOrThrow(getDb(), ctx.merchantId, id);
  await transitionCard(getDb(), ctx.merchantId, staffActor(ctx.userId), id, "unblock");
  redirect(`/gift-certificates/certificates/${id}`);
});
