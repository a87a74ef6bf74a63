"use server";

import { getLocale } from "next-intl/server";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { sendTestEmail } from "@/lib/messaging/provider-checks";
import { saveEmailSettings } from "@/lib/messaging/settings";
import { emailSettingsSchema, testEmailSchema } from "@/lib/validations/messaging";

export const saveEmailSettingsAction = staffAction(
  { permission: "messaging.manage", schema: emailSettingsSchema, revalidate: ["/settings/email"] },
  async (ctx, input) => {
    await saveEmailSettings(getDb(), ctx, input);
  },
);

export const sendTestEmailAction = staffAction({ permission: "messaging.manage", schema: testEmailSchema, revalidate: ["/messages"] }, async (ctx, input) =>
  sendTestEmail(getDb(), ctx.merchant, { to: input.to, locale: await getLocale() }),
);
