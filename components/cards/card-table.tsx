"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { sendCardsAction } from "@/app/(cabinet)/cards/actions";
import { Badge } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";

export type CardRowView = {
  id: string;
  number: string;
  holder: string;
  contact: string;
  template: string;
  status: string;
  statusLabel: string;
  tone: "gray" | "green" | "amber" | "red" | "blue";
  changed: string;
};

type Props = { rows: CardRowView[]; total: number; filters: { q?: string; template?: string; status?: string }; canSend: boolean };

/** The card list with ticks for sending many at once: the ticked ones, or every card the filters match. */
export function CardTable({ rows, total, filters, canSend }: Props) {
  const t = useTranslations("cards");
  const b = useTranslations("cards.send.bulk");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const toggle = (id: string) => setChosen((c) => (c.has(id) ? new Set([...c].filter((x) => x !== id)) : new Set([...c, id])));
  const all = rows.length > 0 && rows.every((r) => chosen.has(r.id));
  const send = (channel: "sms" | "email", scope: "chosen" | "matching") => {
    const count = scope === "chosen" ? chosen.size : total;
    return (
      <ConfirmButton
        action={sendCardsAction}
        fields={{ channel, scope, ids: [...chosen].join(","), q: filters.q ?? "", template: filters.template ?? "", status: filters.status ?? "" }}
        label={b(`${channel}${scope === "chosen" ? "Chosen" : "All"}`)}
        title={b("confirmTitle", { count })}
        text={b("confirmText")}
        confirmLabel={b("confirm")}
        variant="secondary"
      />
    );
  };
  const tick = (r: CardRowView) =>
    canSend && (
      <input
        type="checkbox"
        checked={chosen.has(r.id)}
        onChange={() => toggle(r.id)}
        aria-label={b("select", { number: r.number })}
        className="size-4 rounded border-slate-300"
      />
    );
  return (
    <>
      {canSend && (
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-3 py-2 text-sm" data-testid="bulk-bar">
          <span className="text-slate-600">{chosen.size ? b("chosen", { count: chosen.size }) : b("allMatching", { count: total })}</span>
          <span className="flex-1" />
          {chosen.size ? (
            <>
              {send("sms", "chosen")}
              {send("email", "chosen")}
            </>
          ) : (
            <>
              {send("sms", "matching")}
              {send("email", "matching")}
            </>
          )}
        </div>
      )}
      <table className="hidden w-full text-sm md:table">
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
          <tr>
            {canSend && (
              <th className="w-10 px-4 py-3">
                <input
                  type="checkbox"
                  checked={all}
                  onChange={() => setChosen(all ? new Set() : new Set(rows.map((r) => r.id)))}
                  aria-label={b("selectAll")}
                  className="size-4 rounded border-slate-300"
                />
              </th>
            )}
            <th className="px-4 py-3">{t("number")}</th>
            <th className="px-4 py-3">{t("holder")}</th>
            <th className="px-4 py-3">{t("template")}</th>
            <th className="px-4 py-3">{t("statusLabel")}</th>
            <th className="px-4 py-3 text-right">{t("changed")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id} className="hover:bg-slate-50" data-testid="card-row">
              {canSend && <td className="px-4 py-3">{tick(r)}</td>}
              <td className="px-4 py-3 font-mono">
                <Link href={`/cards/${r.id}`} className="font-medium text-brand-700 hover:underline">
                  {r.number}
                </Link>
              </td>
              <td className="px-4 py-3">
                <p className="font-medium text-slate-900">{r.holder || "—"}</p>
                <p className="text-xs text-slate-500">{r.contact}</p>
              </td>
              <td className="px-4 py-3 text-slate-600">{r.template}</td>
              <td className="px-4 py-3" data-testid="card-status" data-status={r.status}>
                <Badge tone={r.tone}>{r.statusLabel}</Badge>
              </td>
              <td className="px-4 py-3 text-right text-slate-500">{r.changed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="divide-y divide-slate-100 md:hidden">
        {rows.map((r) => (
          <li key={r.id} className="flex items-start gap-3 px-4 py-3">
            {canSend && <div className="pt-1">{tick(r)}</div>}
            <div className="min-w-0 flex-1">
              <Link href={`/cards/${r.id}`} className="font-mono font-medium text-brand-700">
                {r.number}
              </Link>
              <p className="truncate text-sm text-slate-700">{r.holder || r.contact || "—"}</p>
              <p className="truncate text-xs text-slate-500">
                {r.template} · {r.changed}
              </p>
            </div>
            <Badge tone={r.tone}>{r.statusLabel}</Badge>
          </li>
        ))}
      </ul>
    </>
  );
}
