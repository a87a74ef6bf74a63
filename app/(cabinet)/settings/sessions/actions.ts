"use server";

import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { AppError } from "@/lib/errors";
import { endMemberSessions, endOtherStaffSessions, endStaffSession } from "@/lib/staff-security/sessions";
import { sessionIdSchema } from "@/lib/validations/staff-security";

const base = { permission: "dashboard.view" as const, revalidate: ["/settings/sessions"], twoFactorSetup: true };

export const endSessionAction = staffAction({ ...base, schema: sessionIdSchema }, async (ctx, { id }) => {
  // This browser signs out through the user menu; here only the others end.
  if (id === ctx.sessionId) throw new AppError("conflict", "security.errors.thisSession");
  await endStaffSession(getDb(), ctx, id);
});

export const endOtherSessionsAction = staffAction({ ...base, schema: z.object({}) }, async (ctx) => ({
  ended: ctx.sessionId ? await endOtherStaffSessions(getDb(), ctx, ctx.sessionId) : 0,
}));

export const endMemberSessionsAction = staffAction(
  { permission: "staff.manage", schema: sessionIdSchema, revalidate: ["/settings/staff"] },
  async (ctx, { id }) => ({ ended: await endMemberSessions(getDb(), ctx, id) }),
);
