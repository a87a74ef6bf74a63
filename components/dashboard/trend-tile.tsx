import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { changeOf, sparklinePoints, type Trend } from "@/lib/dashboard/trend-math";

const W = 120;
const H = 32;

/** A dashboard tile: the last 30 days' figure, its daily sparkline and the change against the 30 days before. */
export async function TrendTile({ trend, note, href }: { trend: Trend; note?: string; href?: string }) {
  const t = await getTranslations("dashboard.trends");
  const format = await getFormatter();
  const money = trend.key === "smsSpend";
  const show = (n: number) =>
    money && trend.currency ? format.number(n / 100, { style: "currency", currency: trend.currency, maximumFractionDigits: 2 }) : format.number(n);
  const change = changeOf(trend.value, trend.previous);
  const changeText =
    change.kind === "new"
      ? t("changeNew")
      : change.kind === "none"
        ? t("changeNone")
        : change.kind === "same"
          ? t("changeSame")
          : t(change.kind === "up" ? "changeUp" : "changeDown", { percent: change.percent });
  // More redeemed points and more members are good; more SMS spend is neither, so it stays neutral.
  const tone = change.kind === "up" && !money ? "text-emerald-700" : change.kind === "down" && !money ? "text-rose-700" : "text-slate-500";
  const body = (
    <>
      <p className="text-sm font-medium text-slate-600">{t(`${trend.key}.title`)}</p>
      <div className="mt-2 flex items-end justify-between gap-2">
        <p className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl" data-testid={`trend-${trend.key}`}>
          {show(trend.value)}
        </p>
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} className="h-8 w-24 shrink-0 text-brand-600" role="img" aria-label={t("sparkline")}>
          <polyline points={sparklinePoints(trend.series, W, H)} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
        </svg>
      </div>
      <p className={`mt-1 text-xs ${tone}`} data-testid={`trend-${trend.key}-change`} title={t("previous", { value: show(trend.previous) })}>
        {changeText}
      </p>
      {note && <p className="mt-0.5 text-xs text-slate-500">{note}</p>}
    </>
  );
  return (
    <Card className="p-4 sm:p-5">
      {href ? (
        <Link href={href} className="block rounded-lg focus-visible:outline-2">
          {body}
        </Link>
      ) : (
        body
      )}
    </Card>
  );
}
