import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { PublicForm } from "@/components/forms/public-form";
import { getDb } from "@/db";
import { pick } from "@/lib/forms/definition";
import { findPublicForm, linkRefusal } from "@/lib/forms/service";

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ ref?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const link = await findPublicForm(getDb(), (await params).token);
  return { title: link?.merchant.name ?? "CardDesk", robots: { index: false } };
}

/** A registration form's public page (its own link, or a group's or company's): the merchant's look, then phone, code and the form. */
export default async function PublicFormPage({ params, searchParams }: Props) {
  const link = await findPublicForm(getDb(), (await params).token);
  if (!link) notFound();
  const { ref } = await searchParams;
  const locale = await getLocale();
  const t = await getTranslations("forms");
  const { form, merchant, source } = link;
  const def = form.definition;
  const refusal = linkRefusal(link);
  const title = pick(def.title, locale) || merchant.name;
  const benefits = pick(def.benefits, locale);
  return (
    <div className="flex flex-col gap-5 pt-2">
      {form.coverFileId && (
        // eslint-disable-next-line @next/next/no-img-element -- the form's cover, served by our file route
        <img src={`/api/files/${form.coverFileId}`} alt="" className="aspect-[3/1] w-full rounded-2xl object-cover" data-testid="form-cover" />
      )}
      <div className="text-center">
        {merchant.logoFileId && (
          // eslint-disable-next-line @next/next/no-img-element -- the merchant's logo, served by our file route
          <img src={`/api/files/${merchant.logoFileId}`} alt="" className="mx-auto mb-2 size-16 rounded-2xl object-contain" />
        )}
        <p className="text-sm text-slate-600">{merchant.name}</p>
        <h1 className="text-2xl font-semibold text-slate-900" data-testid="form-title">
          {title}
        </h1>
        {source?.kind === "company" && (
          <p className="mt-1 text-sm font-medium text-brand-700" data-testid="form-company">
            {t("forEmployees", { company: source.name })}
          </p>
        )}
        {benefits && <p className="mt-3 text-sm whitespace-pre-line text-slate-700">{benefits}</p>}
      </div>
      <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        {refusal ? (
          <p role="alert" className="text-sm text-slate-700" data-testid="form-closed">
            {t(refusal.replace("forms.", "") as "errors.closed")}
          </p>
        ) : (
          <PublicForm
            token={(await params).token}
            referral={ref && /^[\w.-]{1,80}$/.test(ref) ? ref : undefined}
            fields={def.fields.map((f) => ({
              key: f.key,
              type: f.type,
              label: pick(f.label, locale),
              required: f.required,
              maxLength: f.maxLength,
              options: f.options?.map((o) => ({ value: o.value, label: pick(o.label, locale) })),
            }))}
            consents={def.consents.map((c) => ({ key: c.key, text: pick(c.text, locale), required: c.required }))}
          />
        )}
      </div>
    </div>
  );
}
