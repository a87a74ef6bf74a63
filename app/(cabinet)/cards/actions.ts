"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { staffActor } from "@/lib/cards/actor";
import { deleteCard, issueCard, moveCard, setCardExpiry, transitionCard, updateCardCustomer, updateCardValues } from "@/lib/cards";
import { cancelCardImport, startCardImport } from "@/lib/cards/import";
import { sendCard } from "@/lib/cards/send";
import { startCardSend } from "@/lib/cards/bulk-send";
import { cardFiltersFromQuery } from "@/lib/cards/filters";
import { getLocale } from "next-intl/server";
import {
  cardIdFormSchema,
  issueCardFormSchema,
  moveCardFormSchema,
  setCardExpiryFormSchema,
  updateCardValuesFormSchema,
  updateCustomerFormSchema,
} from "@/lib/validations/cards";

const cardPath = (id: string) => `/cards/${id}`;

export const issueCardAction = staffAction({ permission: "cards.issue", schema: (ctx) => issueCardFormSchema(ctx.merchant.country) }, async (ctx, input) => {
  const card = await issueCard(getDb(), ctx.merchantId, staffActor(ctx.userId), input);
  redirect(`${cardPath(card.id)}?issued=1`);
});

export const updateCardValuesAction = staffAction(
  { permission: "cards.manage", schema: updateCardValuesFormSchema },
  async (ctx, { id, expectedTag, ...values }) => {
    await updateCardValues(getDb(), ctx.merchantId, staffActor(ctx.userId), id, values, expectedTag);
    redirect(`${cardPath(id)}?saved=values`);
  },
);

export const setCardExpiryAction = staffAction({ permission: "cards.manage", schema: setCardExpiryFormSchema }, async (ctx, { id, expectedTag, expiresAt }) => {
  await setCardExpiry(getDb(), ctx.merchantId, staffActor(ctx.userId), id, expiresAt, expectedTag);
  redirect(`${cardPath(id)}?saved=expiry`);
});

export const clearCardExpiryAction = staffAction(
  { permission: "cards.manage", schema: cardIdFormSchema.extend({ expectedTag: z.coerce.number().int() }) },
  async (ctx, { id, expectedTag }) => {
    await setCardExpiry(getDb(), ctx.merchantId, staffActor(ctx.userId), id, null, expectedTag);
    redirect(`${cardPath(id)}?saved=expiry`);
  },
);

export const transitionCardAction = staffAction(
  { permission: "cards.manage", schema: cardIdFormSchema.extend({ op: z.enum(["block", "unblock", "deactivate", "activate"]) }) },
  async (ctx, { id, op }) => {
    await transitionCard(getDb(), ctx.merchantId, staffActor(ctx.userId), id, op);
    redirect(`${cardPath(id)}?saved=${op}`);
  },
);

export const moveCardAction = staffAction({ permission: "cards.manage", schema: moveCardFormSchema }, async (ctx, { id, templateId }) => {
  await moveCard(getDb(), ctx.merchantId, staffActor(ctx.userId), id, templateId);
  redirect(`${cardPath(id)}?saved=moved`);
});

export const deleteCardAction = staffAction({ permission: "cards.manage", schema: cardIdFormSchema }, async (ctx, { id }) => {
  await deleteCard(getDb(), ctx.merchantId, staffActor(ctx.userId), id);
  redirect("/cards?deleted=1");
});

export const updateCardCustomerAction = staffAction(
  { permission: "cards.manage", schema: (ctx) => updateCustomerFormSchema(ctx.merchant.country) },
  async (ctx, { id, customer }) => {
    await updateCardCustomer(getDb(), ctx.merchantId, staffActor(ctx.userId), id, customer);
    redirect(`${cardPath(id)}?saved=customer`);
  },
);

export const startImportAction = staffAction({ permission: "cards.issue", schema: cardIdFormSchema }, async (ctx, { id }) => {
  await startCardImport(getDb(), ctx, id);
  redirect(`/cards/import/${id}`);
});

export const cancelImportAction = staffAction({ permission: "cards.issue", schema: cardIdFormSchema }, async (ctx, { id }) => {
  await cancelCardImport(getDb(), ctx, id);
  redirect(`/cards/import/${id}`);
});

export const sendCardAction = staffAction(
  { permission: "cards.issue", schema: cardIdFormSchema.extend({ channel: z.enum(["sms", "email"]) }) },
  async (ctx, { id, channel }) => {
    await sendCard(getDb(), ctx.merchantId, staffActor(ctx.userId), id, channel, await getLocale());
    return { channel };
  },
);

/** Many cards at once: the ticked ones, or every card the list's filters match. */
export const sendCardsAction = staffAction(
  {
    permission: "cards.issue",
    schema: z.object({
      channel: z.enum(["sms", "email"]),
      scope: z.enum(["chosen", "matching"]),
      ids: z.string().optional().default(""),
      q: z.string().optional(),
      template: z.string().optional(),
      status: z.string().optional(),
    }),
  },
  async (ctx, input) => {
    const filters = cardFiltersFromQuery(input, ctx.merchant.country);
    const target = input.scope === "chosen" ? { cardIds: input.ids.split(",").filter(Boolean) } : { filters };
    const send = await startCardSend(getDb(), ctx, { channel: input.channel, target, locale: await getLocale() });
    redirect(`/cards/sends/${send.id}`);
  },
);
