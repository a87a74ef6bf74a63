import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { EndOtherSessionsButton, EndSessionButton } from "@/components/staff-security/session-buttons";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { listSignInHistory, listStaffSessions } from "@/lib/staff-security/sessions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("sessions") };
}

const OUTCOME_TONE = { success: "green", code_required: "blue" } as const;

export default async function SessionsPage() {
  const ctx = await requireStaff();
  const t = await getTranslations("sessions");
  const format = await getFormatter();
  const [sessions, history] = await Promise.all([listStaffSessions(getDb(), ctx), listSignInHistory(getDb(), ctx)]);
  const others = sessions.filter((s) => s.id !== ctx.sessionId).length;
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <PageHeader title={t("title")} description={t("subtitle")} actions={others > 0 ? <EndOtherSessionsButton /> : undefined} />
      <Card>
        <ul className="divide-y divide-slate-100">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="session-row">
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 font-medium">
                  {s.device}
                  {s.id === ctx.sessionId && <Badge tone="green">{t("thisDevice")}</Badge>}
                </p>
                <p className="text-sm text-slate-600">
                  {t("details", {
                    ip: s.ip,
                    created: format.dateTime(s.createdAt, { dateStyle: "medium", timeStyle: "short" }),
                    seen: format.relativeTime(s.lastSeenAt),
                  })}
                </p>
              </div>
              {s.id !== ctx.sessionId && <EndSessionButton id={s.id} device={s.device} />}
            </li>
          ))}
        </ul>
      </Card>
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-semibold">{t("historyTitle")}</h2>
        <Card className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="sign-in-history">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">{t("when")}</th>
                <th className="px-4 py-2 font-medium">{t("outcome")}</th>
                <th className="px-4 py-2 font-medium">{t("device")}</th>
                <th className="px-4 py-2 font-medium">{t("address")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {history.map((a) => (
                <tr key={a.id}>
                  <td className="whitespace-nowrap px-4 py-2">{format.dateTime(a.createdAt, { dateStyle: "medium", timeStyle: "short" })}</td>
                  <td className="px-4 py-2">
                    <Badge tone={OUTCOME_TONE[a.outcome as keyof typeof OUTCOME_TONE] ?? "red"}>
                      {t.has(`outcomes.${a.outcome}`) ? t(`outcomes.${a.outcome}`) : a.outcome}
                    </Badge>{" "}
                    <span className="text-xs text-slate-500">{t.has(`methods.${a.method}`) ? t(`methods.${a.method}`) : a.method}</span>
                  </td>
                  <td className="px-4 py-2">{a.device}</td>
                  <td className="px-4 py-2 font-mono text-xs">{a.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </section>
    </div>
  );
}
