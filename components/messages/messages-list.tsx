import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/format/money";
import type { MessageRow } from "@/lib/messaging/messages";
import { MessageStatus } from "./message-status";

/** The outbox rows: a table on wide screens, a list of cards on phones. */
export async function MessagesList({ rows }: { rows: MessageRow[] }) {
  const t = await getTranslations("messagesPage");
  const format = await getFormatter();
  const locale = await getLocale();
  const cost = (m: MessageRow) => (m.costMinor !== null && m.currency ? formatMoney(m.costMinor, m.currency, locale) : "—");
  const when = (m: MessageRow) => format.dateTime(m.createdAt, "moment");
  const provider = (m: MessageRow) => (m.provider === "console" ? t("console") : (m.provider ?? "—"));
  const what = (m: MessageRow) => (
    <>
      <p className="font-medium break-all text-slate-900">{m.recipient}</p>
      <p className="line-clamp-2 text-xs break-words text-slate-500" data-testid="message-preview">
        {m.subject ? `${m.subject} — ` : ""}
        {m.preview}
      </p>
    </>
  );
  return (
    <>
      <table className="hidden w-full text-sm lg:table">
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
          <tr>
            <th className="px-4 py-3">{t("columns.time")}</th>
            <th className="px-4 py-3">{t("columns.channel")}</th>
            <th className="px-4 py-3">{t("columns.recipient")}</th>
            <th className="px-4 py-3">{t("columns.kind")}</th>
            <th className="px-4 py-3">{t("columns.status")}</th>
            <th className="px-4 py-3">{t("columns.provider")}</th>
            <th className="px-4 py-3 text-right">{t("columns.cost")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((m) => (
            <tr key={m.id} className="align-top" data-testid="message-row">
              <td className="px-4 py-3 whitespace-nowrap text-slate-600">{when(m)}</td>
              <td className="px-4 py-3">{t(`channel.${m.channel}`)}</td>
              <td className="max-w-xs px-4 py-3">{what(m)}</td>
              <td className="px-4 py-3 text-slate-600">{t(`kind.${m.kind as "code"}`)}</td>
              <td className="max-w-xs px-4 py-3">
                <MessageStatus message={m} />
              </td>
              <td className="px-4 py-3 text-slate-600">{provider(m)}</td>
              <td className="px-4 py-3 text-right whitespace-nowrap">{cost(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="divide-y divide-slate-100 lg:hidden">
        {rows.map((m) => (
          <li key={m.id} className="flex min-w-0 flex-col gap-2 px-4 py-3" data-testid="message-item">
            {/* The status under the recipient, not beside it: squeezed beside a long preview, a badge
                ("В очереди") and its note ran past the edge of a phone. */}
            <div className="min-w-0">{what(m)}</div>
            <MessageStatus message={m} />
            <p className="text-xs text-slate-500">
              {[when(m), t(`channel.${m.channel}`), t(`kind.${m.kind as "code"}`), provider(m), cost(m)].join(" · ")}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
