"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { staffAction } from "@/lib/actions/staff-action";
import { eraseCustomer } from "@/lib/customers/data-rights";

/** Erases a card holder's personal data (after the confirmation dialog); the card stays, deactivated, with its ledger. */
export const eraseCustomerAction = staffAction(
  { permission: "customers.dataRights", schema: z.object({ customerId: z.uuid(), cardId: z.uuid() }) },
  async (ctx, { customerId, cardId }) => {
    await eraseCustomer(getDb(), ctx.merchantId, customerId, { type: "staff", userId: ctx.userId });
    redirect(`/cards/${cardId}?saved=erased`);
  },
);
