"use server";

import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { changePassword } from "@/lib/staff";
import { changePasswordSchema } from "@/lib/validations/auth";

export const changePasswordAction = staffAction({ permission: "dashboard.view", schema: changePasswordSchema }, async (ctx, input) => {
  await changePassword(getDb(), ctx, input.currentPassword, input.newPassword);
});
