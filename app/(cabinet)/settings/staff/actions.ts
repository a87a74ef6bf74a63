"use server";

import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { dispatchOutbox } from "@/lib/outbox";
import { addStaff, changeStaffRole, setStaffActive, setStaffSkipConfirmation } from "@/lib/staff";
import { addStaffSchema, changeRoleSchema, setActiveSchema, setSkipConfirmationSchema } from "@/lib/validations/staff";

const revalidate = ["/settings/staff"];

export const addStaffAction = staffAction({ permission: "staff.manage", schema: addStaffSchema, revalidate }, async (ctx, input) => {
  const { member, outboxIds } = await addStaff(getDb(), ctx, input);
  await dispatchOutbox(outboxIds);
  return { email: member.email };
});

export const changeRoleAction = staffAction({ permission: "staff.manage", schema: changeRoleSchema, revalidate }, async (ctx, { id, role }) => {
  await changeStaffRole(getDb(), ctx, id, role);
});

export const setActiveAction = staffAction({ permission: "staff.manage", schema: setActiveSchema, revalidate }, async (ctx, { id, active }) => {
  await setStaffActive(getDb(), ctx, id, active);
});

/** The owner's switch "may complete a till spending without the customer's code" for one member. */
export const setSkipConfirmationAction = staffAction(
  { permission: "staff.manage", schema: setSkipConfirmationSchema, revalidate },
  async (ctx, { id, allowed }) => {
    await setStaffSkipConfirmation(getDb(), ctx, id, allowed);
  },
);
