"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef, useState } from "react";
import { sendCardAction } from "@/app/(cabinet)/cards/actions";
import { Button } from "@/components/ui/button";
import { FormAlert, SubmitButton } from "@/components/ui/form";

type Props = { id: string; phone: string | null; email: string | null; link: string; qrSvg: string; blocked: boolean };

function SendButton({ id, channel, to, disabledReason }: { id: string; channel: "sms" | "email"; to: string | null; disabledReason: string | null }) {
  const t = useTranslations("cards.send");
  const [state, action] = useActionState(sendCardAction, null);
  return (
    <form action={action} className="flex flex-col gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="channel" value={channel} />
      <SubmitButton variant="secondary" disabled={!!disabledReason} pendingLabel={t("sending")} className="justify-start">
        {channel === "sms" ? t("bySms") : t("byEmail")}
        <span className="truncate text-xs font-normal text-slate-500">{to ?? disabledReason}</span>
      </SubmitButton>
      {state?.ok ? (
        <p role="status" className="text-sm text-emerald-700" data-testid={`sent-${channel}`}>
          {t("queued", { to: to ?? "" })}{" "}
          <a href="/messages" className="underline">
            {t("seeMessages")}
          </a>
        </p>
      ) : (
        <FormAlert state={state} />
      )}
    </form>
  );
}

/** Send the card to its holder by SMS or e-mail, show its QR code (to print), or copy its link. */
export function CardSendPanel({ id, phone, email, link, qrSvg, blocked }: Props) {
  const t = useTranslations("cards.send");
  const dialog = useRef<HTMLDialogElement>(null);
  const [copied, setCopied] = useState(false);
  const blockedReason = blocked ? t("blocked") : null;
  const copy = async () => {
    await navigator.clipboard.writeText(link);
    setCopied(true);
  };
  return (
    <div className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <SendButton id={id} channel="sms" to={phone} disabledReason={blockedReason ?? (phone ? null : t("noPhone"))} />
        <SendButton id={id} channel="email" to={email} disabledReason={blockedReason ?? (email ? null : t("noEmail"))} />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => dialog.current?.showModal()}>
          {t("qr")}
        </Button>
        <Button variant="secondary" onClick={copy} data-testid="copy-link">
          {copied ? t("copied") : t("copyLink")}
        </Button>
      </div>
      <input
        readOnly
        value={link}
        aria-label={t("link")}
        className="min-h-9 rounded-lg border border-slate-200 bg-slate-50 px-3 font-mono text-xs text-slate-700"
        onFocus={(e) => e.currentTarget.select()}
        data-testid="card-link"
      />
      <dialog ref={dialog} aria-label={t("qrTitle")} className="m-auto w-[calc(100%-2rem)] max-w-sm rounded-xl p-0 shadow-xl print:shadow-none">
        <div className="flex flex-col items-center gap-4 p-6" data-testid="qr-dialog">
          <h2 className="text-lg font-semibold">{t("qrTitle")}</h2>
          <div className="size-56 [&>svg]:size-full" role="img" aria-label={t("qrTitle")} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p className="text-center text-sm text-slate-600">{t("qrHint")}</p>
          <div className="flex gap-2 print:hidden">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              {t("close")}
            </Button>
            <Button onClick={() => window.print()}>{t("print")}</Button>
          </div>
        </div>
      </dialog>
    </div>
  );
}
