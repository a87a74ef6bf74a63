"use server";

import { after } from "next/server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db";
import { publicAction } from "@/lib/actions/public-action";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCode } from "@/lib/customer-auth/codes";
import { enrolCustomer } from "@/lib/customer-auth/enrol";
import { giveConsentForCard } from "@/lib/push-events/consent";
import { endCustomerSession, startCustomerSession } from "@/lib/customer-auth/session";
import { requestCustomerCode } from "@/lib/customer-auth/sign-in";
import { normalizePhone } from "@/lib/customers/phone";
import { AppError } from "@/lib/errors";
import { findMerchantBySlug, isSlug } from "@/lib/merchants";
import { isEnrolmentOpen } from "@/lib/merchants/enrolment";
import { text } from "@/lib/validations/common";
import { customerFieldsSchema } from "@/lib/validations/customers";
import { fieldErrorsOf } from "@/lib/validations/issues";

/** The platform-wide sign-in reads national numbers as Russian ones, where CardDesk's merchants are. */
const PLATFORM_COUNTRY = "RU";

const base = z.object({ phone: z.string(), merchant: text(80).optional().default(""), purpose: z.enum(["sign_in", "enrol"]).default("sign_in") });

async function context(input: { phone: string; merchant: string }) {
  const merchant = input.merchant ? await findMerchantBySlug(getDb(), input.merchant) : null;
  if (input.merchant && !merchant) throw new AppError("not_found", "errors.notFound");
  const phone = normalizePhone(input.phone, merchant?.country ?? PLATFORM_COUNTRY);
  if (!phone) throw new AppError("validation", "customers.errors.phone", { phone: "customers.errors.phone" });
  return { merchant, phone };
}

export const requestCodeAction = publicAction(base, async (input) => {
  const { merchant, phone } = await context(input);
  if (input.purpose === "enrol" && !isEnrolmentOpen(merchant)) throw new AppError("forbidden", "customerAuth.errors.enrolmentClosed");
  const deliver = await requestCustomerCode(getDb(), { phone, purpose: input.purpose, merchant, ip: clientIp(await headers()), locale: await getLocale() });
  // Whether an SMS goes out (the phone is known, or may enrol) is decided after the answer has left,
  // so the answer's timing cannot tell a known phone from a stranger's.
  after(deliver);
  return { phone, sentAt: Date.now() };
});

export const verifyCodeAction = publicAction(
  base.extend({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, { error: "customerAuth.errors.codeFormat" }),
  }),
  async (input) => {
    const { merchant, phone } = await context(input);
    // The code proves the phone only to whoever delivered it: the merchant whose page sent it, or the platform at /my.
    const used = await verifyCode(getDb(), { phone, purpose: "sign_in", code: input.code, merchantId: merchant?.id ?? null });
    await startCustomerSession(getDb(), phone, used.merchantId);
    redirect(merchant ? `/m/${merchant.slug}` : "/my");
  },
);

/** Enrolment: the phone is proven by its code, then a card of the merchant's enrolment template is issued to it. */
export const enrolAction = publicAction(
  base.extend({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, { error: "customerAuth.errors.codeFormat" }),
    name: z.string().trim().min(1, { error: "validation.required" }).max(120, { error: "validation.tooLong" }),
    email: z.string().optional().default(""),
    birthday: z.string().optional().default(""),
    marketingConsent: z.string().optional(),
  }),
  async (input) => {
    const { merchant, phone } = await context(input);
    if (!merchant) throw new AppError("not_found", "errors.notFound");
    const holder = customerFieldsSchema(merchant.country).safeParse({ phone, name: input.name, email: input.email, birthday: input.birthday });
    if (!holder.success) {
      throw new AppError("validation", "errors.validation", fieldErrorsOf(holder.error));
    }
    const { cardId } = await enrolCustomer(getDb(), merchant, holder.data, input.code);
    // Marketing consent, as the customer saw it: the exact text of the box they ticked, in their language.
    if (input.marketingConsent) {
      const text = (await getTranslations({ locale: await getLocale(), namespace: "pushEvents" }))("marketingConsent");
      await giveConsentForCard(getDb(), merchant.id, cardId, text);
    }
    await startCustomerSession(getDb(), phone, merchant.id);
    redirect(`/m/${merchant.slug}?enrolled=1`);
  },
);

export const customerSignOutAction = publicAction(z.object({ merchant: text(80).optional().default("") }), async ({ merchant }) => {
  await endCustomerSession(getDb());
  // Only a real slug goes into the address: anything else (`../..//elsewhere`, CR/LF) returns to /my.
  redirect(merchant && isSlug(merchant) ? `/m/${merchant}` : "/my");
});
