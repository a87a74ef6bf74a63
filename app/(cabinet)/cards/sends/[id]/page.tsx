import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { ButtonLink } from "@/components/ui/button";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { getDb } from "@/db";
import { requireStaff } from "@/lib/auth/session";
import { getCardSendOrThrow } from "@/lib/cards/bulk-send";
import { NotFoundError } from "@/lib/errors";
import { isStalled } from "@/lib/jobs/batch";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("cards.send.progress"))("title") };
}

export default async function CardSendPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireStaff("cards.issue");
  const t = await getTranslations("cards.send.progress");
  const send = await getCardSendOrThrow(getDb(), ctx.merchantId, (await params).id).catch((err) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const running = send.status === "queued" || send.status === "running";
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("channel", { channel: send.channel })}
        actions={<Badge tone={send.status === "done" ? "green" : send.status === "failed" ? "red" : "blue"}>{t(`statuses.${send.status}`)}</Badge>}
      />
      <AutoRefresh active={running} />
      <Card className="flex max-w-3xl flex-col gap-4 p-5">
        <ProgressBar done={send.processed} total={send.total} label={t("title")} caption={t("done", { processed: send.processed, total: send.total })} />
        <div className="grid grid-cols-2 gap-3">
          <div className="rounded-lg bg-slate-50 p-3">
            <p className="text-xs text-slate-500">{t("queued")}</p>
            <p className="text-xl font-semibold" data-testid="send-queued">
              {send.queued}
            </p>
          </div>
          <div className="rounded-lg bg-slate-50 p-3">
            <p className="text-xs text-slate-500">{t("skipped")}</p>
            <p className="text-xl font-semibold" data-testid="send-skipped">
              {send.skipped}
            </p>
          </div>
        </div>
        {isStalled(send) && (
          <p role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="send-stalled">
            {t("stalled")}
          </p>
        )}
        {send.status === "done" && (
          <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="send-done">
            {t("finished", { queued: send.queued, skipped: send.skipped })}
          </p>
        )}
        {send.status === "failed" && (
          <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {t("failed")}
          </p>
        )}
        <div className="flex justify-end">
          <ButtonLink href="/cards" variant="secondary">
            {t("back")}
          </ButtonLink>
        </div>
      </Card>
    </>
  );
}
