"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import type { StaffContext } from "@/lib/auth/session";
import { staffActor } from "@/lib/card-events/actor";
import { copyPushEvent, countAudience, createPushEvent, deletePushEvent, saveQuietHours, updatePushEvent } from "@/lib/push-events";
import { fromZonedInput } from "@/lib/push-events/zone";
import { saveFile, validateImage } from "@/lib/files";
import { TEMPLATE_IMAGE_RULES } from "@/lib/templates/images";
import { ProviderError } from "@/lib/adapters/types";
import { AppError } from "@/lib/errors";
import { estimateSmsNews, type SmsEstimate } from "@/lib/push-events/sms";
import { createTriggerRule, deleteTriggerRule, updateTriggerRule } from "@/lib/push-events/triggers";
import {
  audienceFormSchema,
  pushEventFormSchema,
  smsEstimateFormSchema,
  pushEventIdSchema,
  promotionStripUploadSchema,
  quietHoursSchema,
  triggerRuleEditSchema,
  triggerRuleSchema,
} from "@/lib/validations/push-events";

const formSchema = (ctx: StaffContext) => pushEventFormSchema((value) => fromZonedInput(ctx.merchant.timeZone, value));
const pushCtx = (ctx: StaffContext) => ({ merchantId: ctx.merchantId, actor: staffActor(ctx.userId) });

export const createPushEventAction = staffAction({ permission: "pushEvents.manage", schema: formSchema }, async (ctx, input) => {
  const row = await createPushEvent(getDb(), pushCtx(ctx), input);
  redirect(`/push-events/${row.id}`);
});

export const updatePushEventAction = staffAction(
  { permission: "pushEvents.manage", schema: (ctx: StaffContext) => pushEventIdSchema.passthrough().and(formSchema(ctx)) },
  async (ctx, input) => {
    const { id } = pushEventIdSchema.parse(input);
    await updatePushEvent(getDb(), pushCtx(ctx), id, input);
    redirect(`/push-events/${id}`);
  },
);

/** The audience's size for the form's current filters, before saving. */
export const countAudienceAction = staffAction({ permission: "pushEvents.manage", schema: audienceFormSchema }, async (ctx, audience) => {
  const count = await countAudience(getDb(), ctx.merchantId, audience);
  return { ...count, estimate: null as SmsEstimate | null };
});

/** SMS news: the audience, and what sending would cost, asked of the merchant's provider without sending. */
export const estimateSmsAction = staffAction({ permission: "pushEvents.manage", schema: smsEstimateFormSchema }, async (ctx, { audience, message }) => {
  const count = await countAudience(getDb(), ctx.merchantId, audience);
  try {
    return { ...count, estimate: await estimateSmsNews(getDb(), ctx.merchantId, audience, message) };
  } catch (err) {
    if (err instanceof ProviderError) throw new AppError("validation", "pushEvents.errors.estimate", undefined, { reason: err.message });
    throw err;
  }
});

export const copyPushEventAction = staffAction({ permission: "pushEvents.manage", schema: pushEventIdSchema }, async (ctx, { id }) => {
  const row = await copyPushEvent(getDb(), pushCtx(ctx), id);
  redirect(`/push-events/${row.id}`);
});

export const deletePushEventAction = staffAction({ permission: "pushEvents.manage", schema: pushEventIdSchema }, async (ctx, { id }) => {
  await deletePushEvent(getDb(), pushCtx(ctx), id);
  redirect("/push-events");
});

export const saveQuietHoursAction = staffAction(
  { permission: "pushEvents.manage", schema: quietHoursSchema, revalidate: ["/push-events"] },
  async (ctx, input) => {
    await saveQuietHours(getDb(), ctx.merchantId, input);
  },
);

export const createTriggerRuleAction = staffAction(
  { permission: "pushEvents.manage", schema: triggerRuleSchema, revalidate: ["/push-events"] },
  async (ctx, input) => {
    await createTriggerRule(getDb(), ctx.merchantId, input);
  },
);

export const updateTriggerRuleAction = staffAction(
  { permission: "pushEvents.manage", schema: triggerRuleEditSchema, revalidate: ["/push-events"] },
  async (ctx, { id, ...input }) => {
    await updateTriggerRule(getDb(), ctx.merchantId, id, input);
  },
);

export const deleteTriggerRuleAction = staffAction(
  { permission: "pushEvents.manage", schema: pushEventIdSchema, revalidate: ["/push-events"] },
  async (ctx, { id }) => {
    await deleteTriggerRule(getDb(), ctx.merchantId, id);
  },
);

/** A promotion's strip image, checked and re-encoded by the template designer's rules for a strip; the form keeps its id. */
export const uploadPromotionStripAction = staffAction({ permission: "pushEvents.manage", schema: promotionStripUploadSchema }, async (ctx, { file }) => {
  const { buf, info } = await validateImage("file", file, TEMPLATE_IMAGE_RULES.strip);
  return { fileId: await saveFile(getDb(), ctx.merchantId, buf, info.type) };
});
