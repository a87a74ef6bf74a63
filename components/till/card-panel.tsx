"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type ComponentProps } from "react";
import { tillCancelAction, tillConfirmAction, tillLookupAction, tillPostAction } from "@/app/(cabinet)/till/actions";
import { Button } from "@/components/ui/button";
import { TemplatePreview } from "@/components/templates/template-preview";
import type { CardValues } from "@/components/templates/sample";
import { Card } from "@/components/ui/card";
import { useMessage } from "@/components/ui/form";
import type { ApiLookup } from "@/lib/api/ledger-schemas";
import { programAt } from "@/lib/ledger/levels";
import { purchaseOf } from "@/lib/ledger/rules";
import { AppError } from "@/lib/errors";
import type { LoyaltyProgram } from "@/lib/templates/definition";
import { callAction, newKey, toMinor } from "./use-till-call";

/** The card's pass as the card page previews it (components/templates/template-preview), drawn on the server. */
export type TillPass = Pick<ComponentProps<typeof TemplatePreview>, "definition" | "kind" | "merchantName" | "barcodes"> & { values: CardValues };
/** `certificate`: a pool card (lib/gift-certificates): a gift certificate in money or a product, or a coupon; null for any other card. */
export type TillView = ApiLookup & {
  program: LoyaltyProgram | null;
  purchaseTotal: number;
  levelFloor: number | null;
  pass: TillPass;
  certificate?: "money" | "product" | "coupon" | null;
};
type Pending = { id: string; confirmation: { channel: "sms" | "call"; expiresAt: string; phoneMasked: string | null } };
type Mode = "purchase" | "accrue" | "redeem";

const input = "w-full rounded-lg border border-slate-300 px-3 py-2 text-base";

/** The card found: who holds it, what it has, and the purchase / accrue / redeem forms with the confirmation step. */
export function CardPanel({
  view,
  tillId,
  currency,
  maySkip,
  onChanged,
  onDone,
}: {
  view: TillView;
  tillId: string;
  currency: string;
  maySkip: boolean;
  onChanged: (v: TillView) => void;
  onDone: () => void;
}) {
  const t = useTranslations("till.screen");
  const gt = useTranslations("giftCertificates.till");
  const message = useMessage();
  // A certificate or coupon is only ever redeemed at a till: money in the currency, a product or coupon whole.
  const cert = view.certificate ?? null;
  const [mode, setMode] = useState<Mode>(cert ? "redeem" : "purchase");
  const [amount, setAmount] = useState("");
  const [points, setPoints] = useState("");
  const [receipt, setReceipt] = useState("");
  const [key, setKey] = useState(newKey);
  const [pending, setPending] = useState<Pending | null>(null);
  const [code, setCode] = useState("");
  const [skip, setSkip] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), [mode]);
  useEffect(() => {
    if (pending) codeInput.current?.focus();
  }, [pending]);

  const minor = toMinor(amount);
  const spend = points === "" ? 0 : Number(points);
  // The live preview runs the ledger's own rule (lib/ledger/rules) on what the cashier typed.
  let preview: { redeemed: number; accrued: number } | string | null = null;
  if (mode === "purchase" && Number.isFinite(minor) && minor > 0 && view.program && !view.stamps) {
    try {
      preview = purchaseOf(programAt(view.program, view)!, view.balance, minor, Number.isInteger(spend) && spend >= 0 ? spend : 0);
    } catch (err) {
      preview = err instanceof AppError ? (message(err.message, err.params) ?? err.message) : null;
    }
  }

  async function refresh(text?: string) {
    const r = await callAction(tillLookupAction, { q: "", cardId: view.card.id, tillId });
    if (r.ok) onChanged(r.data as TillView);
    setDone(text ?? null);
    setAmount("");
    setPoints("");
    setReceipt("");
    setPending(null);
    setCode("");
    setSkip("");
    setKey(newKey());
    onDone();
  }

  const summary = (x: { accrued: number; redeemed: number; balanceAfter: number }) =>
    cert === "money"
      ? gt("done", { redeemed: money(x.redeemed), balance: money(x.balanceAfter) })
      : cert
        ? gt("doneWhole")
        : t("done", { accrued: x.accrued, redeemed: x.redeemed, balance: x.balanceAfter });

  async function submit(skipReason?: string) {
    setError(null);
    if (cert === "money" && !(toMinor(points) > 0)) return setError(gt("amountInvalid"));
    const r = await callAction(tillPostAction, {
      cardId: view.card.id,
      tillId,
      key,
      type: mode,
      amount: mode === "purchase" ? minor : undefined,
      redeemPoints: mode === "purchase" ? spend : undefined,
      points: mode === "purchase" ? undefined : cert === "money" ? toMinor(points) : cert ? 1 : points,
      receipt,
      skipReason,
    });
    if (!r.ok) return setError(message(Object.values(r.fieldErrors ?? {})[0] ?? r.error, r.params) ?? r.error);
    const data = r.data as { pending?: Pending; transaction?: { accrued: number; redeemed: number; balanceAfter: number } };
    if (data.pending) setPending(data.pending);
    else if (data.transaction) await refresh(summary(data.transaction));
  }

  async function confirm() {
    if (!pending) return;
    setError(null);
    const r = await callAction(tillConfirmAction, { id: pending.id, code, tillId });
    if (r.ok) return refresh(summary((r.data as { transaction: { accrued: number; redeemed: number; balanceAfter: number } }).transaction));
    setError(message(r.error, r.params) ?? r.error);
    setCode("");
    if (r.code === "confirmation_expired") setPending(null);
  }

  async function cancel() {
    if (pending) await callAction(tillCancelAction, { id: pending.id });
    setPending(null);
    setKey(newKey());
  }

  const money = (minorUnits: number) => new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minorUnits / 100);

  return (
    <Card className="grid gap-4 p-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] md:p-5" data-testid="till-card">
      <div className="flex flex-col gap-2">
        <div data-testid="pass-preview" aria-label={t("passPreview")} role="group">
          <TemplatePreview
            definition={view.pass.definition}
            kind={view.pass.kind}
            merchantName={view.pass.merchantName}
            card={view.pass.values}
            barcodes={view.pass.barcodes}
            compact
          />
        </div>
        <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-500">{t("number")}</dt>
          <dd className="font-mono" data-testid="till-number">
            {view.card.number}
          </dd>
          <dt className="text-slate-500">{cert ? gt(`left.${cert}`) : t("balanceLabel")}</dt>
          <dd className="font-semibold" data-testid="till-balance">
            {cert === "money" ? money(view.balance) : view.balance}
          </dd>
          <dt className="text-slate-500">{t("holder")}</dt>
          <dd data-testid="till-holder">{view.holder?.name || "—"}</dd>
          <dt className="text-slate-500">{t("phone")}</dt>
          <dd>{view.holder?.phoneMasked ?? "—"}</dd>
          <dt className="text-slate-500">{t("level")}</dt>
          <dd>{view.level?.name ?? "—"}</dd>
          <dt className="text-slate-500">{t("discount")}</dt>
          <dd>{view.discountPercent}%</dd>
          <dt className="text-slate-500">{t("canSpend")}</dt>
          <dd data-testid="till-max">{view.redeemable.maxPoints}</dd>
        </dl>
        {done && (
          <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-sm text-green-800" data-testid="till-done">
            {done}
          </p>
        )}
      </div>
      <div className="flex flex-col gap-3">
        <div role="tablist" className="flex gap-1">
          {(cert ? (["redeem"] as const) : (["purchase", "accrue", "redeem"] as const)).map((m) => (
            <button
              key={m}
              role="tab"
              type="button"
              aria-selected={mode === m}
              onClick={() => (setMode(m), setPending(null), setError(null))}
              className={`rounded-lg px-3 py-1.5 text-sm font-medium ${mode === m ? "bg-brand-600 text-white" : "bg-slate-100 text-slate-700"}`}
            >
              {t(`modes.${m}`)}
            </button>
          ))}
        </div>
        {!pending ? (
          <form
            className="grid gap-3 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            {mode === "purchase" && (
              <label className="text-sm">
                {t("amount", { currency })}
                <input ref={first} className={input} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="till-amount" />
              </label>
            )}
            {cert === "product" || cert === "coupon" ? (
              <p className="self-end text-sm" data-testid="till-whole">
                {gt(`whole.${cert}`)}
              </p>
            ) : (
              <label className="text-sm">
                {cert === "money" ? gt("amount", { currency }) : mode === "purchase" ? t("spendPoints") : t("points")}
                <input
                  ref={mode === "purchase" ? undefined : first}
                  className={input}
                  inputMode={cert === "money" ? "decimal" : "numeric"}
                  value={points}
                  onChange={(e) => setPoints(e.target.value)}
                  data-testid="till-points"
                />
              </label>
            )}
            <label className="text-sm">
              {t("receipt")}
              <input className={input} value={receipt} maxLength={64} onChange={(e) => setReceipt(e.target.value)} data-testid="till-receipt" />
            </label>
            {preview && (
              <p className="self-end text-sm sm:col-span-2" data-testid="till-preview" aria-live="polite">
                {typeof preview === "string"
                  ? preview
                  : t("preview", {
                      redeemed: preview.redeemed,
                      accrued: preview.accrued,
                      pay: money(Math.max(0, minor - preview.redeemed * (view.program?.pointValue ?? 0))),
                    })}
              </p>
            )}
            <div className="flex justify-end sm:col-span-2">
              <Button type="submit" data-testid="till-submit">
                {t(`submit.${mode}`)}
              </Button>
            </div>
          </form>
        ) : (
          <div className="flex flex-col gap-3" data-testid="till-confirm">
            <p className="text-sm">
              {t(pending.confirmation.channel === "call" ? "codeSentCall" : "codeSentSms", { phone: pending.confirmation.phoneMasked ?? "" })}
            </p>
            <form
              className="flex gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                void confirm();
              }}
            >
              <label className="sr-only" htmlFor="till-code">
                {t("code")}
              </label>
              <input
                id="till-code"
                ref={codeInput}
                className={`${input} max-w-40 font-mono tracking-widest`}
                inputMode="numeric"
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                data-testid="till-code-input"
              />
              <Button type="submit" data-testid="till-code-submit">
                {t("confirm")}
              </Button>
              <Button variant="secondary" onClick={() => void cancel()}>
                {t("cancel")}
              </Button>
            </form>
            {maySkip && (
              <form
                className="flex flex-wrap gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (skip.trim()) void cancel().then(() => submit(skip.trim()));
                }}
              >
                <input
                  className={`${input} min-w-0 flex-1`}
                  placeholder={t("skipReason")}
                  value={skip}
                  onChange={(e) => setSkip(e.target.value)}
                  data-testid="till-skip-reason"
                />
                <Button type="submit" variant="secondary">
                  {t("skip")}
                </Button>
              </form>
            )}
          </div>
        )}
        {error && (
          <p role="alert" className="text-sm text-red-700" data-testid="till-op-error">
            {error}
          </p>
        )}
      </div>
    </Card>
  );
}
