"use server";

import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { dispatchOutbox } from "@/lib/outbox";
import { createSupportRequest } from "@/lib/support";
import { supportRequestSchema } from "@/lib/validations/support";

export const sendSupportRequestAction = staffAction(
  { permission: "dashboard.view", schema: supportRequestSchema, revalidate: ["/settings/support"], twoFactorSetup: true },
  async (ctx, input) => {
    const { outboxIds } = await createSupportRequest(getDb(), ctx, input);
    await dispatchOutbox(outboxIds);
  },
);
