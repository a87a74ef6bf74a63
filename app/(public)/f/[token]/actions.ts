"use server";

import { after } from "next/server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getLocale } from "next-intl/server";
import { getDb } from "@/db";
import { publicAction } from "@/lib/actions/public-action";
import { clientIp } from "@/lib/auth/client-ip";
import { startCustomerSession } from "@/lib/customer-auth/session";
import { requestCustomerCode } from "@/lib/customer-auth/sign-in";
import { normalizePhone } from "@/lib/customers/phone";
import { AppError } from "@/lib/errors";
import { findPublicForm, linkRefusal } from "@/lib/forms/service";
import { submitForm } from "@/lib/forms/submit";
import { formCodeSchema, formSubmitSchema } from "@/lib/validations/forms";

async function linkAndPhone(input: { token: string; phone: string }) {
  const link = await findPublicForm(getDb(), input.token);
  if (!link) throw new AppError("not_found", "errors.notFound");
  const refusal = linkRefusal(link);
  if (refusal) throw new AppError("forbidden", refusal);
  const phone = normalizePhone(input.phone, link.merchant.country);
  if (!phone) throw new AppError("validation", "customers.errors.phone", { phone: "customers.errors.phone" });
  return { link, phone };
}

/** The form's code: the same limits as every customer code (per phone, per IP, the merchant's hourly cap). */
export const requestFormCodeAction = publicAction(formCodeSchema, async (input) => {
  const { link, phone } = await linkAndPhone(input);
  const deliver = await requestCustomerCode(getDb(), {
    phone,
    purpose: "enrol",
    merchant: link.merchant,
    ip: clientIp(await headers()),
    locale: await getLocale(),
    formOpen: true,
  });
  after(deliver);
  return { phone, sentAt: Date.now() };
});

/** The code proves the phone; the answers are read against the form; the card (new or the one held) is shown on the merchant's page. */
export const submitFormAction = publicAction(formSubmitSchema.passthrough(), async (input) => {
  const { link, phone } = await linkAndPhone(input);
  const { created } = await submitForm(getDb(), link, { phone, code: input.code, raw: input, locale: await getLocale() });
  await startCustomerSession(getDb(), phone, link.merchant.id);
  redirect(`/m/${link.merchant.slug}?${created ? "enrolled" : "returning"}=1`);
});
