"use server";

import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { getStaffContext } from "@/lib/auth/session";
import { rememberLocale } from "@/lib/i18n/locale";
import { isLocale } from "@/i18n/config";

/** Remembers the language in a cookie and, for signed-in staff, on their account. */
export async function setLocaleAction(formData: FormData): Promise<void> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  await rememberLocale(locale);
  const ctx = await getStaffContext();
  if (ctx) await getDb().update(users).set({ locale }).where(eq(users.id, ctx.userId));
}
