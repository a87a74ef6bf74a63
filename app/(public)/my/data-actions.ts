"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { publicAction } from "@/lib/actions/public-action";
import { endCustomerSession, getCustomerSession } from "@/lib/customer-auth/session";
import { customersOfPhone, eraseCustomer } from "@/lib/customers/data-rights";
import { AppError } from "@/lib/errors";

/** The customer's own erasure at /my: every merchant's record of the signed-in phone; then they are signed out. */
export const eraseMyDataAction = publicAction(z.object({}), async () => {
  const db = getDb();
  const session = await getCustomerSession(db, { for: null });
  if (!session) throw new AppError("unauthorized", "errors.unauthorized");
  for (const c of await customersOfPhone(db, session.phone, session.merchantId)) await eraseCustomer(db, c.merchantId, c.id, { type: "customer" });
  await endCustomerSession(db);
  redirect("/my?erased=1");
});
