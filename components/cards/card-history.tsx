import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { CardEvent } from "@/db/schema";
import { formatMoney } from "@/lib/format/money";

type Row = { event: CardEvent; userName: string | null };
/** The reader's language and the merchant's currency, for amounts in minor units (a certificate's money). */
type Money = { locale: string; currency: string };

/** One line of what changed, in the reader's language. */
function describeEvent(
  t: Awaited<ReturnType<typeof getTranslations>>,
  format: Awaited<ReturnType<typeof getFormatter>>,
  money: Money,
  event: CardEvent,
): string | null {
  const d = event.data as Record<string, unknown>;
  const date = (v: unknown) => (typeof v === "string" ? format.dateTime(new Date(v), { dateStyle: "medium" }) : t("none"));
  const amount = (v: unknown) => formatMoney(Number(v ?? 0), money.currency, money.locale);
  switch (event.type) {
    case "card.issued":
      return t("detail.issued", { number: String(d.number ?? "") });
    case "certificate.issued":
      // A product certificate holds units, not money.
      return [d.number && t("detail.issued", { number: String(d.number) }), d.product ? null : amount(d.amount)].filter(Boolean).join(" · ");
    case "certificate.redeemed":
    case "certificate.expired":
      return t("detail.moneyLeft", { amount: amount(d.amount), remaining: amount(d.remaining) });
    case "campaign.started":
    case "campaign.finished":
      return t("detail.campaignMessage");
    case "card.updated": {
      const before = (d.before ?? {}) as Record<string, unknown>;
      const after = (d.after ?? {}) as Record<string, unknown>;
      return Object.keys(after)
        .map((k) =>
          k === "custom" ? t("detail.custom") : t("detail.change", { field: t(`fields.${k}`), from: String(before[k] ?? "—"), to: String(after[k] ?? "—") }),
        )
        .join("; ");
    }
    case "card.expiry_changed":
      return t("detail.expiry", { from: date(d.from), to: date(d.to) });
    case "card.moved":
      return t("detail.moved", { from: String((d.from as { name?: string })?.name ?? ""), to: String((d.to as { name?: string })?.name ?? "") });
    case "card.installed":
    case "card.removed":
      return [d.platform === "google" ? "Google Wallet" : "Apple Wallet", d.model].filter(Boolean).join(" · ") + (d.reason ? ` (${String(d.reason)})` : "");
    case "wallet.push_sent":
      return t("detail.push", { count: Number(d.devices ?? 0) });
    // A campaign's delivery tells its pushes itself (lib/push-events/delivery).
    case "push.delivered":
      return [d.ruleId ? t("detail.ruleMessage") : t("detail.campaignMessage"), d.pushesSent ? t("detail.push", { count: Number(d.pushesSent) }) : null]
        .filter(Boolean)
        .join(" · ");
    case "wallet.push_failed":
      return String(d.reason ?? "");
    case "card.holder_changed":
      return [d.name, d.phone].filter(Boolean).join(" · ");
    case "card.expired":
      return date(d.expiresAt);
    case "points.accrued":
    case "points.redeemed":
    case "points.adjusted":
    case "points.reversed":
    case "points.expired":
      return t("detail.points", { points: Number(d.points ?? 0), balance: Number(d.balance ?? 0) });
    case "points.confirmation_skipped":
      return t("detail.skipped", { reason: String(d.reason ?? "") });
    case "card.sent":
      return t("detail.sent", { channel: String(d.channel), to: String(d.to ?? "") });
    default:
      return null;
  }
}

export async function CardHistory({ rows, currency }: { rows: Row[]; currency: string }) {
  const t = await getTranslations("cards.history");
  const format = await getFormatter();
  const money: Money = { locale: await getLocale(), currency };
  if (!rows.length) return <p className="px-4 py-6 text-center text-sm text-slate-500">{t("empty")}</p>;
  return (
    <ol className="divide-y divide-slate-100" data-testid="card-history">
      {rows.map(({ event, userName }) => {
        const actor = event.actorType === "staff" ? (userName ?? t("actor.staff")) : t(`actor.${event.actorType}`);
        const detail = describeEvent(t, format, money, event);
        return (
          <li key={event.id} className="flex flex-col gap-0.5 px-4 py-3 sm:flex-row sm:items-baseline sm:gap-4" data-testid="card-event" data-type={event.type}>
            <time className="shrink-0 text-xs text-slate-500 sm:w-40" dateTime={event.createdAt.toISOString()}>
              {format.dateTime(event.createdAt, "moment")}
            </time>
            <div className="min-w-0 flex-1">
              <p className="text-sm font-medium text-slate-900">{t(`types.${event.type}`)}</p>
              {detail && <p className="text-sm break-words text-slate-600">{detail}</p>}
            </div>
            <p className="shrink-0 text-xs text-slate-500">{actor}</p>
          </li>
        );
      })}
    </ol>
  );
}
