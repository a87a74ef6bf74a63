"use server";

import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { signIn } from "@/lib/auth/next-auth";
import { changePassword } from "@/lib/staff";
import { changePasswordSchema } from "@/lib/validations/auth";

export const changePasswordAction = staffAction({ permission: "dashboard.view", schema: changePasswordSchema }, async (ctx, input) => {
  await changePassword(getDb(), ctx, input.currentPassword, input.newPassword);
  // The change ended every session, this one included: sign this browser in again with the new password.
  await signIn("credentials", { email: ctx.user.email, password: input.newPassword, redirect: false });
});
