"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { archiveNotification, closeNotification } from "@/lib/notifications";

const idSchema = z.object({ id: z.uuid({ error: "errors.notFound" }) });

export const archiveNotificationAction = staffAction({ permission: "notifications.manage", schema: idSchema, revalidate: "layout" }, (ctx, { id }) =>
  archiveNotification(getDb(), ctx.merchantId, id),
);

export const closeNotificationAction = staffAction({ permission: "notifications.manage", schema: idSchema, revalidate: "layout" }, (ctx, { id }) =>
  closeNotification(getDb(), ctx.merchantId, id),
);
