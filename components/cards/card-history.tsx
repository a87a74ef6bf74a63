import { getFormatter, getTranslations } from "next-intl/server";
import type { CardEvent } from "@/db/schema";

type Row = { event: CardEvent; userName: string | null };

/** One line of what changed, in the reader's language. */
function describeEvent(t: Awaited<ReturnType<typeof getTranslations>>, format: Awaited<ReturnType<typeof getFormatter>>, event: CardEvent): string | null {
  const d = event.data as Record<string, unknown>;
  const date = (v: unknown) => (typeof v === "string" ? format.dateTime(new Date(v), { dateStyle: "medium" }) : t("none"));
  switch (event.type) {
    case "card.issued":
      return t("detail.issued", { number: String(d.number ?? "") });
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
      return d.pushesSent ? t("detail.push", { count: Number(d.pushesSent) }) : null;
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

export async function CardHistory({ rows }: { rows: Row[] }) {
  const t = await getTranslations("cards.history");
  const format = await getFormatter();
  if (!rows.length) return <p className="px-4 py-6 text-center text-sm text-slate-500">{t("empty")}</p>;
  return (
    <ol className="divide-y divide-slate-100" data-testid="card-history">
      {rows.map(({ event, userName }) => {
        const actor = event.actorType === "staff" ? (userName ?? t("actor.staff")) : t(`actor.${event.actorType}`);
        return (
          <li key={event.id} className="flex flex-col gap-0.5 px-4 py-3 sm:flex-row sm:items-baseline sm:gap-4" data-testid="card-event" data-type={event.type}>
            <time className="shrink-0 text-xs text-slate-500 sm:w-40" dateTime={event.createdAt.toISOString()}>
              {format.dateTime(event.createdAt, "moment")}
            </time>
            <div className="min-w-0 flex-1">
              <p className="text-sm font-medium text-slate-900">{t(`types.${event.type}`)}</p>
              {describeEvent(t, format, event) && <p className="text-sm break-words text-slate-600">{describeEvent(t, format, event)}</p>}
            </div>
            <p className="shrink-0 text-xs text-slate-500">{actor}</p>
          </li>
        );
      })}
    </ol>
  );
}
