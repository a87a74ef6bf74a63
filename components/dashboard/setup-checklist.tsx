import clsx from "clsx";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import type { SetupChecklist as Checklist } from "@/lib/dashboard/setup";

/**
 * A new merchant's way to a first card, in the order that works; each step ticks itself from the data
 * (lib/dashboard/setup.ts) and links to where it is done. The next step to do is the one pointed at.
 */
export async function SetupChecklist({ checklist }: { checklist: Checklist }) {
  const t = await getTranslations("dashboard.setup");
  const next = checklist.steps.find((s) => !s.done)?.step;
  const doneCount = checklist.steps.filter((s) => s.done).length;
  return (
    <Card className="mb-6 p-5" data-testid="setup-checklist">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold">{t("title")}</h2>
        <p className="text-sm text-slate-500">{t("progress", { done: doneCount, total: checklist.steps.length })}</p>
      </div>
      <p className="mt-1 text-sm text-slate-600">{t("text")}</p>
      <ol className="mt-4 flex flex-col gap-2">
        {checklist.steps.map(({ step, done, href }, i) => (
          <li key={step} data-testid={`setup-step-${step}`} data-done={done ? "true" : "false"}>
            <Link
              href={href}
              className={clsx(
                "flex items-start gap-3 rounded-lg border px-3 py-2.5 hover:bg-slate-50",
                step === next ? "border-brand-500 bg-brand-50/60" : "border-slate-200",
              )}
            >
              <span
                className={clsx(
                  "mt-0.5 grid size-6 shrink-0 place-items-center rounded-full text-xs font-semibold",
                  done ? "bg-emerald-600 text-white" : "border border-slate-300 text-slate-600",
                )}
                aria-hidden
              >
                {done ? (
                  <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round">
                    <path d="m5 12.5 4.5 4.5L19 7.5" />
                  </svg>
                ) : (
                  i + 1
                )}
              </span>
              <span className="min-w-0 flex-1">
                <span className={clsx("block text-sm font-medium", done ? "text-slate-500 line-through" : "text-slate-900")}>{t(`steps.${step}.title`)}</span>
                <span className="block text-xs text-slate-500">{t(`steps.${step}.text`)}</span>
              </span>
              <span className="sr-only">{done ? t("done") : t("todo")}</span>
            </Link>
          </li>
        ))}
      </ol>
    </Card>
  );
}
