import { getLocale, getTranslations } from "next-intl/server";
import { StampRow } from "@/components/cards/stamp-row";
import { formatBalance } from "@/lib/format/money";
import { InviteFriend } from "@/components/forms/invite-friend";
import { Badge } from "@/components/ui/card";
import type { CustomerCard } from "@/lib/customer-auth/cards";
import { stampsOf } from "@/lib/ledger/stamps";
import { stampProgramOf } from "@/lib/templates/definition";
import { TillCode } from "./till-code";
import { WalletButtons } from "./wallet-buttons";

/** Every card of a signed-in customer: its merchant, its values, its wallet buttons and the code for the till. */
export async function CustomerCards({ rows, android }: { rows: CustomerCard[]; android: boolean }) {
  const t = await getTranslations("customerAuth");
  const locale = await getLocale();
  if (!rows.length) return <p className="rounded-xl bg-white p-6 text-center text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">{t("noCards")}</p>;
  return (
    <ul className="flex flex-col gap-6" data-testid="customer-cards">
      {rows.map(({ card, merchant, template, definition }) => {
        const blocked = card.blockReason !== null;
        const balance = formatBalance(template.kind, card.balance, merchant.currency, locale);
        const stampProgram = stampProgramOf(template.kind, definition);
        const stamps = stampProgram && stampsOf(stampProgram, card.balance);
        return (
          <li
            key={card.id}
            className="flex flex-col gap-4 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
            data-testid="customer-card"
            data-number={card.number}
          >
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
                <p className="truncate text-xs text-slate-500">{template.name}</p>
              </div>
              {blocked && <Badge tone="red">{t("blocked")}</Badge>}
            </div>
            <dl className="grid grid-cols-2 gap-2 text-sm">
              <dt className="text-slate-500">{t("number")}</dt>
              <dd className="text-right font-mono">{card.number}</dd>
              <dt className="text-slate-500">{t("balance")}</dt>
              <dd className="flex justify-end text-right font-semibold" data-testid="customer-card-balance">
                {stamps ? <StampRow count={stamps.collected} goal={stamps.goal} rewards={stamps.rewards} color={definition.design.backgroundColor} /> : balance}
              </dd>
            </dl>
            {blocked ? (
              <p className="text-sm text-red-700">{t("blockedText")}</p>
            ) : (
              <>
                <WalletButtons token={card.linkToken} android={android} />
                <TillCode definition={definition} card={card} />
                <InviteFriend card={card} />
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
