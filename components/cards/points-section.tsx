import { randomUUID } from "node:crypto";
import clsx from "clsx";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { Card } from "@/db/schema";
import { formatPointsCursor, type PointsRow } from "@/lib/cards/points";
import type { Expiring, LevelView, StampsView, TransactionKeyset } from "@/lib/ledger";
import { formatMoney, formatPoints } from "@/lib/format/money";
import { AdjustPointsForm, PostPointsForm, ReverseButton } from "./points-forms";

type Props = {
  card: Pick<Card, "id" | "balance" | "updateTag" | "levelFloor">;
  rows: PointsRow[];
  /** The card's cumulative-discount level, when its programme has levels. */
  level: LevelView | null;
  /** The card's next expiries, soonest first. */
  expiring: Expiring[];
  /** A stamp card's row and rewards ready (its balance counts stamps: lib/ledger/stamps). */
  stamps?: StampsView | null;
  next: TransactionKeyset | null;
  /** Whether this page is past the newest transactions (a cursor in the address). */
  paged: boolean;
  currency: string;
  locations: { id: string; name: string }[];
  canPost: boolean;
  canManage: boolean;
};

/**
 * The card page's Points section: the balance, the forms the role allows, and the ledger's
 * transactions newest first — type, points, balance after, who, where, receipt, when — each one
 * reversible (manager and up) while anything of it is left to undo.
 */
export async function PointsSection({ card, rows, level, expiring, stamps, next, paged, currency, locations, canPost, canManage }: Props) {
  const t = await getTranslations("points");
  const format = await getFormatter();
  const locale = await getLocale();
  const signed = (n: number) => (n > 0 ? `+${formatPoints(n, locale)}` : n < 0 ? `−${formatPoints(-n, locale)}` : "0");
  const who = (row: PointsRow) => {
    const { actorType } = row.transaction;
    if (actorType === "api") return t("actor.api", { name: row.actorName ?? "—" });
    if (actorType === "staff") return row.actorName ?? t("actor.staff");
    return t("actor.system");
  };
  return (
    <div className="flex flex-col" data-testid="points-section">
      <div className="flex flex-col gap-4 border-b border-slate-100 p-4 sm:p-5">
        <p className="text-sm text-slate-600">
          {t("balance")}{" "}
          <span className="text-2xl font-semibold text-slate-900 tabular-nums" data-testid="points-balance">
            {formatPoints(card.balance, locale)}
          </span>
        </p>
        {(level || stamps || expiring.length > 0) && (
          <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_minmax(0,1fr)]">
            {stamps && (
              <>
                <dt className="text-slate-500">{t("stamps")}</dt>
                <dd data-testid="points-stamps">{t("stampsValue", { collected: stamps.collected, goal: stamps.goal, rewards: stamps.rewards })}</dd>
              </>
            )}
            {level && (
              <>
                <dt className="text-slate-500">{t("level")}</dt>
                <dd data-testid="points-level">
                  {t("levelValue", { name: level.name, discount: level.discountPercent, earn: level.earnPercent })}
                  {level.nextLevelIn !== null && ` · ${t("nextLevelIn", { amount: formatMoney(level.nextLevelIn, currency, locale) })}`}
                  {/* A company's starting level (lib/ledger/levels): the card never stands below what this total earns. */}
                  {card.levelFloor !== null && ` · ${t("levelFloor", { amount: formatMoney(card.levelFloor, currency, locale) })}`}
                </dd>
              </>
            )}
            {expiring.length > 0 && (
              <>
                <dt className="text-slate-500">{t("expiring")}</dt>
                <dd data-testid="points-expiring">
                  {expiring.map((e) => t("expiringLot", { points: formatPoints(e.points, locale), date: format.dateTime(e.at, "day") })).join("; ")}
                </dd>
              </>
            )}
          </dl>
        )}
        {canPost && <PostPointsForm id={card.id} formKey={randomUUID()} locations={locations} />}
        {canManage && (
          <details className="group rounded-lg border border-slate-200">
            <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-700 select-none">{t("adjustSummary")}</summary>
            <div className="border-t border-slate-100 p-3">
              <AdjustPointsForm id={card.id} formKey={randomUUID()} expectedTag={card.updateTag} />
            </div>
          </details>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-slate-500">{t("empty")}</p>
      ) : (
        <ol className="divide-y divide-slate-100" data-testid="points-transactions" aria-label={t("transactions")}>
          {rows.map((row) => {
            const x = row.transaction;
            const title = `${t(`types.${x.type}`)} ${signed(x.points)}`;
            const details = [
              x.receipt && t("receiptNo", { receipt: x.receipt }),
              row.locationName,
              x.amount !== null && t(x.type === "reversal" ? "refund" : "amount", { amount: formatMoney(x.amount, currency, locale) }),
              x.type === "purchase" && x.redeemed > 0 && t("purchaseSplit", { redeemed: x.redeemed, accrued: x.accrued }),
              x.shortfall > 0 && t("shortfall", { points: x.shortfall }),
              x.reason,
            ].filter(Boolean);
            return (
              <li key={x.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-start sm:gap-4" data-testid="points-row" data-type={x.type}>
                <time className="shrink-0 text-xs text-slate-500 sm:w-36 sm:pt-0.5" dateTime={x.createdAt.toISOString()}>
                  {format.dateTime(x.createdAt, "moment")}
                </time>
                <div className="min-w-0 flex-1">
                  <p className="flex flex-wrap items-baseline gap-x-3 text-sm">
                    <span className="font-medium text-slate-900">{t(`types.${x.type}`)}</span>
                    <span className={clsx("font-semibold tabular-nums", x.points < 0 ? "text-red-700" : "text-emerald-700")} data-testid="points-change">
                      {signed(x.points)}
                    </span>
                    <span className="text-xs text-slate-500 tabular-nums">{t("balanceAfter", { balance: formatPoints(x.balanceAfter, locale) })}</span>
                  </p>
                  {details.length > 0 && <p className="text-sm break-words text-slate-600">{details.join(" · ")}</p>}
                  <p className="text-xs text-slate-500">{who(row)}</p>
                </div>
                {canManage && row.reversible && (
                  <div className="shrink-0 self-start">
                    <ReverseButton
                      id={x.id}
                      formKey={randomUUID()}
                      by={row.reversible.by}
                      left={row.reversible.left}
                      leftText={
                        row.reversible.by === "amount" ? formatMoney(row.reversible.left, currency, locale) : t("pointsCount", { points: row.reversible.left })
                      }
                      title={title}
                    />
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {(next || paged) && (
        <nav className="flex justify-between gap-2 border-t border-slate-100 px-4 py-3 text-sm" aria-label={t("pages")}>
          {paged ? (
            <Link href={`/cards/${card.id}#points`} className="font-medium text-brand-700 hover:underline">
              {t("newest")}
            </Link>
          ) : (
            <span />
          )}
          {next && (
            <Link href={`/cards/${card.id}?tx=${formatPointsCursor(next)}#points`} className="font-medium text-brand-700 hover:underline">
              {t("older")}
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
