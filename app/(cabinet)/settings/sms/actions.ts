"use server";

import { getLocale } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { checkSmsBalance, sendTestSms } from "@/lib/messaging/provider-checks";
import { saveSmsSettings } from "@/lib/messaging/settings";
import { smsSettingsSchema, testSmsSchema } from "@/lib/validations/messaging";

export const saveSmsSettingsAction = staffAction(
  { permission: "messaging.manage", schema: smsSettingsSchema, revalidate: ["/settings/sms"] },
  async (ctx, input) => {
    await saveSmsSettings(getDb(), ctx, input);
  },
);

/** The provider's answer (or refusal) is the data: the page shows it either way. */
export const checkSmsBalanceAction = staffAction({ permission: "messaging.manage", schema: z.object({}) }, async (ctx) =>
  checkSmsBalance(getDb(), ctx.merchantId),
);

export const sendTestSmsAction = staffAction(
  { permission: "messaging.manage", schema: (ctx) => testSmsSchema(ctx.merchant.country), revalidate: ["/messages"] },
  async (ctx, input) => sendTestSms(getDb(), ctx.merchant, { phone: input.phone, locale: await getLocale() }),
);
