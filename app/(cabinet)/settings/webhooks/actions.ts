"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { deliveryIdSchema, replayFailedSinceSchema, webhookEditFormSchema, webhookFormSchema, webhookIdSchema } from "@/lib/validations/webhooks";
import { replayDelivery, replayFailedSince, sendTestEvent } from "@/lib/webhooks/deliveries";
import { createEndpoint, deleteEndpoint, rotateEndpointSecret, updateEndpoint } from "@/lib/webhooks/endpoints";

const permission = "webhooks.manage" as const;
const list = ["/settings/webhooks"];
const page = (id: string) => [`/settings/webhooks/${id}`, "/settings/webhooks"];

/** Returns the new secret: the one time it is shown, for the form to show once. */
export const createWebhookAction = staffAction({ permission, schema: webhookFormSchema, revalidate: list }, async (ctx, input) => {
  const { endpoint, secret } = await createEndpoint(getDb(), ctx, input);
  return { id: endpoint.id, url: endpoint.url, secret };
});

export const updateWebhookAction = staffAction({ permission, schema: webhookEditFormSchema }, async (ctx, { id, ...input }) => {
  await updateEndpoint(getDb(), ctx, id, input);
  for (const path of page(id)) revalidatePath(path);
});

export const deleteWebhookAction = staffAction({ permission, schema: webhookIdSchema, revalidate: list }, async (ctx, { id }) => {
  await deleteEndpoint(getDb(), ctx, id);
});

export const rotateWebhookSecretAction = staffAction({ permission, schema: webhookIdSchema }, async (ctx, { id }) => {
  const { secret } = await rotateEndpointSecret(getDb(), ctx, id);
  return { id, secret };
});

export const sendTestWebhookAction = staffAction({ permission, schema: webhookIdSchema }, async (ctx, { id }) => {
  await sendTestEvent(getDb(), ctx.merchantId, id);
  revalidatePath(`/settings/webhooks/${id}`);
});

export const replayDeliveryAction = staffAction({ permission, schema: deliveryIdSchema.extend({ endpointId: z.uuid() }) }, async (ctx, { id, endpointId }) => {
  await replayDelivery(getDb(), ctx.merchantId, id);
  revalidatePath(`/settings/webhooks/${endpointId}`);
});

export const replayFailedSinceAction = staffAction({ permission, schema: replayFailedSinceSchema }, async (ctx, { id, since }) => {
  const count = await replayFailedSince(getDb(), ctx.merchantId, id, since);
  revalidatePath(`/settings/webhooks/${id}`);
  return { count };
});
