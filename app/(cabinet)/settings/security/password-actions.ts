"use server";

import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { signIn } from "@/lib/auth/next-auth";
import { changePassword } from "@/lib/staff";
import { getUserForChallenge, sealChallenge } from "@/lib/staff-security/sign-in";
import { changePasswordSchema } from "@/lib/validations/auth";

export const changePasswordAction = staffAction({ permission: "dashboard.view", schema: changePasswordSchema, twoFactorSetup: true }, async (ctx, input) => {
  await changePassword(getDb(), ctx, input.currentPassword, input.newPassword);
  // The change ended every session, this one included: sign this browser in again, without asking
  // for a second factor it has just proved (a one-minute challenge only this server can seal).
  const user = await getUserForChallenge(getDb(), ctx.merchantId, ctx.userId);
  if (user) await signIn("credentials", { challenge: sealChallenge(user, "resume"), resume: "1", redirect: false });
});
