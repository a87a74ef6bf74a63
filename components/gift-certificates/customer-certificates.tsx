import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { TillCode } from "@/components/customer/till-code";
import { WalletButtons } from "@/components/customer/wallet-buttons";
import { Badge } from "@/components/ui/card";
import type { CustomerCard } from "@/lib/customer-auth/cards";
import { formatMoney } from "@/lib/format/money";
import type { CertificateExtras } from "@/lib/gift-certificates/customer";
import { certificateStatus } from "@/lib/gift-certificates/status";
import { OpenedBeacon } from "./opened-beacon";
import { RichText } from "./rich-text";

type Row = Pick<CustomerCard, "card" | "merchant" | "definition">;

/** One certificate as its recipient sees it: code and barcode, what is left, validity, terms, where to use it, wallets. */
export async function CertificateDetails({
  row,
  extras,
  android,
  withCodes = true,
}: {
  row: Row;
  extras: CertificateExtras;
  android: boolean;
  withCodes?: boolean;
}) {
  const t = await getTranslations("giftCertificates.my");
  const statusT = await getTranslations("giftCertificates.status");
  const locale = await getLocale();
  const format = await getFormatter();
  const { card, merchant, definition } = row;
  const lang = locale === "ru" ? "ru" : "en";
  const pick = (v: { en: string; ru: string } | null) => (v ? v[lang] || v.en || v.ru : "");
  const status = certificateStatus(card);
  const usable = status === "active";
  const value = extras.definition.nominal === null ? pick(extras.definition.product) : formatMoney(card.balance, merchant.currency, locale);
  return (
    <li className="flex flex-col gap-4 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="customer-certificate" data-code={extras.code}>
      <div className="flex items-center gap-3">
        {merchant.logoFileId ? (
          // eslint-disable-next-line @next/next/no-img-element -- the merchant's logo, served by our file route
          <img src={`/api/files/${merchant.logoFileId}`} alt="" className="size-10 rounded-lg object-contain" />
        ) : (
          <span
            className="grid size-10 place-items-center rounded-lg text-sm font-bold text-white"
            style={{ background: definition.design.backgroundColor }}
            aria-hidden
          >
            {merchant.name.slice(0, 1)}
          </span>
        )}
        <div className="min-w-0 flex-1">
          <p className="truncate font-semibold text-slate-900">{merchant.name}</p>
          <p className="truncate text-xs text-slate-500">{extras.definition.name}</p>
        </div>
        {status !== "active" && <Badge tone={status === "blocked" ? "red" : "gray"}>{statusT(status)}</Badge>}
      </div>
      <div className="text-center">
        <p className="text-xs text-slate-500" data-testid="certificate-kind">
          {extras.definition.kind === "coupon" ? t("coupon") : extras.definition.nominal === null ? t("product") : t("balance")}
        </p>
        <p className="text-3xl font-semibold text-slate-900" data-testid="certificate-balance">
          {value}
        </p>
        <p className="text-xs text-slate-500">
          {card.expiresAt ? t("validUntil", { date: format.dateTime(card.expiresAt, { dateStyle: "long" }) }) : t("noExpiry")}
        </p>
      </div>
      <p className="text-center font-mono text-2xl font-bold tracking-[0.2em] break-all text-slate-900" data-testid="certificate-code">
        {extras.code}
      </p>
      {extras.message && (
        <p className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-900">
          <span className="font-medium">{t("from")}: </span>
          {extras.message}
        </p>
      )}
      {status === "blocked" ? (
        <p className="text-sm text-red-700">{t("blocked", { kind: extras.definition.kind })}</p>
      ) : (
        usable &&
        withCodes && (
          <>
            <TillCode definition={definition} card={card} />
            <WalletButtons token={card.linkToken} android={android} />
          </>
        )
      )}
      <details className="text-sm text-slate-700" open={usable}>
        <summary className="cursor-pointer font-medium text-slate-900">{t("presentation")}</summary>
        <RichText text={pick(extras.definition.presentation)} />
      </details>
      <details className="text-sm text-slate-700">
        <summary className="cursor-pointer font-medium text-slate-900">{t("terms")}</summary>
        <RichText text={pick(extras.definition.terms)} />
      </details>
      <details className="text-sm text-slate-700">
        <summary className="cursor-pointer font-medium text-slate-900">{t("locations")}</summary>
        {extras.locations.length ? (
          <ul className="mt-1 list-disc pl-5">
            {extras.locations.map((l) => (
              <li key={l.id}>
                {l.name}
                {l.address && <span className="text-slate-500"> — {l.address}</span>}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1">{t("allLocations")}</p>
        )}
      </details>
    </li>
  );
}

/** A customer's certificates on /my: usable (and blocked) ones first, then the used and expired. */
export async function CustomerCertificates({ rows, extras, android }: { rows: Row[]; extras: Map<string, CertificateExtras>; android: boolean }) {
  if (!rows.length) return null;
  const t = await getTranslations("giftCertificates.my");
  const current = rows.filter((r) => ["active", "blocked"].includes(certificateStatus(r.card)));
  const used = rows.filter((r) => !["active", "blocked"].includes(certificateStatus(r.card)));
  return (
    <section className="flex flex-col gap-4" data-testid="customer-certificates">
      <h2 className="text-lg font-semibold text-slate-900">{t("title")}</h2>
      <OpenedBeacon tokens={current.map((r) => r.card.linkToken)} />
      <ul className="flex flex-col gap-6">
        {current.map((r) => (
          <CertificateDetails key={r.card.id} row={r} extras={extras.get(r.card.id)!} android={android} />
        ))}
      </ul>
      {used.length > 0 && (
        <details data-testid="used-certificates">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">{t("used")}</summary>
          <ul className="mt-3 flex flex-col gap-6">
            {used.map((r) => (
              <CertificateDetails key={r.card.id} row={r} extras={extras.get(r.card.id)!} android={android} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
