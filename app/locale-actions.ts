"use server";

import { getDb } from "@/db";
import { getStaffContext } from "@/lib/auth/session";
import { rememberLocale } from "@/lib/i18n/locale";
import { setStaffLocale } from "@/lib/staff";
import { isLocale } from "@/i18n/config";

/** Remembers the language in a cookie and, for signed-in staff, on their account. */
export async function setLocaleAction(formData: FormData): Promise<void> {
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  await rememberLocale(locale);
  const ctx = await getStaffContext();
  if (ctx) await setStaffLocale(getDb(), ctx, locale);
}
