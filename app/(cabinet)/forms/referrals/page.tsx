import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { REFERRALS_PAGE_SIZE, REFERRAL_STATES, listReferrals, type ReferralState } from "@/lib/forms/referral";
import { page as pageParam } from "@/lib/validations/common";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("referrals"))("title") };
}

const TONE = { pending: "gray", due: "amber", rewarded: "green" } as const;

/** Who invited whom through "invite a friend", when, and where the rewards stand. */
export default async function ReferralsPage({ searchParams }: { searchParams: Promise<{ page?: string; state?: string }> }) {
  const ctx = await requireStaff("forms.view");
  const t = await getTranslations("referrals");
  const format = await getFormatter();
  const search = await searchParams;
  const page = pageParam().parse(search.page);
  const state = REFERRAL_STATES.find((s) => s === search.state);
  const { rows, total } = await listReferrals(getDb(), ctx.merchantId, { page, state });
  const who = (person: { name: string | null; phone: string | null } | null, card: { id: string; number: string } | null) => (
    <span className="flex min-w-0 flex-col">
      <span className="truncate">{person?.name || person?.phone || t("erased")}</span>
      {card?.id && (
        <Link href={`/cards/${card.id}`} className="font-mono text-xs text-brand-700 hover:underline">
          {card.number}
        </Link>
      )}
    </span>
  );
  const stateLabel = (s: ReferralState) => t(`states.${s}`);
  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <Card className="mb-4 p-4">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("filters")}>
          <label className="flex flex-col gap-1.5 text-sm font-medium text-slate-700">
            {t("state")}
            <select name="state" defaultValue={state ?? ""} className="min-h-10 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm">
              <option value="">{t("any")}</option>
              {REFERRAL_STATES.map((s) => (
                <option key={s} value={s}>
                  {stateLabel(s)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="min-h-10 rounded-lg bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700">
            {t("apply")}
          </button>
        </form>
      </Card>
      <Card className="overflow-x-auto">
        {rows.length === 0 ? (
          <EmptyState title={t("emptyTitle")} text={t("emptyText")} />
        ) : (
          <table className="w-full text-left text-sm" data-testid="referrals-list">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("date")}</th>
                <th className="px-4 py-2 font-medium">{t("inviter")}</th>
                <th className="px-4 py-2 font-medium">{t("friend")}</th>
                <th className="px-4 py-2 font-medium">{t("reward")}</th>
                <th className="px-4 py-2 font-medium">{t("state")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} data-testid="referral-row">
                  <td className="whitespace-nowrap px-4 py-2">
                    {format.dateTime(r.createdAt, { dateStyle: "medium", timeStyle: "short", timeZone: ctx.merchant.timeZone })}
                  </td>
                  <td className="px-4 py-2">{who(r.inviter, r.inviterCard)}</td>
                  <td className="px-4 py-2">{who(r.friend, r.friendCard)}</td>
                  <td className="whitespace-nowrap px-4 py-2">{t("rewardText", { you: r.inviterBonus, friend: r.friendBonus })}</td>
                  <td className="whitespace-nowrap px-4 py-2">
                    <Badge tone={TONE[r.state]}>{stateLabel(r.state)}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pagination page={page} pageSize={REFERRALS_PAGE_SIZE} total={total} basePath="/forms/referrals" query={{ state }} />
      </Card>
    </>
  );
}
