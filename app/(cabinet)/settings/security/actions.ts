"use server";

import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { confirmTwoFactorSetup, disableTwoFactor, regenerateRecoveryCodes, setTwoFactorRequired, startTwoFactorSetup } from "@/lib/staff-security/two-factor";
import { z } from "zod";
import { confirmPhone, removePhone, startPhoneVerification } from "@/lib/staff-security/phone-recovery";
import { confirmWithPasswordSchema, requireTwoFactorSchema, staffPhoneCodeSchema, staffPhoneSchema, totpCodeSchema } from "@/lib/validations/staff-security";

const revalidate = ["/settings/security"];
// Each of these is allowed before a required second factor is set up: they are how it gets set up.
const base = { permission: "dashboard.view" as const, revalidate, twoFactorSetup: true };

export const startTwoFactorAction = staffAction({ ...base, schema: confirmWithPasswordSchema }, async (ctx, { password }) => {
  await startTwoFactorSetup(getDb(), ctx, password);
});

export const confirmTwoFactorAction = staffAction({ ...base, schema: totpCodeSchema, revalidate: "layout" }, async (ctx, { code }) => ({
  codes: await confirmTwoFactorSetup(getDb(), ctx, code),
}));

export const regenerateCodesAction = staffAction({ ...base, schema: confirmWithPasswordSchema }, async (ctx, { password }) => ({
  codes: await regenerateRecoveryCodes(getDb(), ctx, password),
}));

export const disableTwoFactorAction = staffAction({ ...base, schema: confirmWithPasswordSchema, twoFactorSetup: false }, async (ctx, { password }) => {
  await disableTwoFactor(getDb(), ctx, password);
});

export const requireTwoFactorAction = staffAction({ permission: "staff.manage", schema: requireTwoFactorSchema, revalidate }, async (ctx, { required }) => {
  await setTwoFactorRequired(getDb(), ctx, required);
});

// A verified phone for "forgot password" by SMS.
export const startPhoneAction = staffAction({ ...base, schema: staffPhoneSchema }, async (ctx, { phone }) =>
  startPhoneVerification(getDb(), { id: ctx.userId, merchantId: ctx.merchantId }, phone),
);

export const confirmPhoneAction = staffAction({ ...base, schema: staffPhoneCodeSchema }, async (ctx, { code }) =>
  confirmPhone(getDb(), { id: ctx.userId, merchantId: ctx.merchantId }, code),
);

export const removePhoneAction = staffAction({ ...base, schema: z.object({}) }, async (ctx) => {
  await removePhone(getDb(), { id: ctx.userId, merchantId: ctx.merchantId });
});
