"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { tillIssueAction, tillPinStartAction, tillPinVerifyAction } from "@/app/(cabinet)/till/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";
import type { TillView } from "./card-panel";
import { callAction } from "./use-till-call";

const input = "w-full rounded-lg border border-slate-300 px-3 py-2 text-base";

function useFailure() {
  const message = useMessage();
  const [error, setError] = useState<string | null>(null);
  const fail = (r: ActionResult<unknown> & { ok: false }) => setError(message(Object.values(r.fieldErrors ?? {})[0] ?? r.error, r.params) ?? r.error);
  return { error, setError, fail };
}

/**
 * Phone + one-time PIN: the PIN goes to the phone, the customer reads it out, the card opens. By card
 * number (a rotating QR out of date, the customer's phone offline): the PIN goes to the card holder's
 * phone, and the till is told nothing about the number until the PIN is right.
 */
export function PinPanel({ tillId, number: given, onFound }: { tillId: string; number?: string; onFound: (v: TillView) => void }) {
  const t = useTranslations("till.screen");
  const [byNumber, setByNumber] = useState(given !== undefined);
  const [value, setValue] = useState(given ?? "");
  const [sent, setSent] = useState<{ id: string; phoneMasked: string | null } | null>(null);
  const [pin, setPin] = useState("");
  const { error, setError, fail } = useFailure();
  return (
    <Card className="p-4" data-testid="till-pin">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">{t(byNumber ? "pinNumberTitle" : "pinTitle")}</h2>
        {!sent && (
          <Button variant="secondary" onClick={() => (setByNumber(!byNumber), setValue(""), setError(null))} data-testid="till-pin-mode">
            {t(byNumber ? "pinByPhone" : "pinByNumber")}
          </Button>
        )}
      </div>
      {!sent ? (
        <form
          className="mt-3 flex flex-col gap-2"
          onSubmit={async (e) => {
            e.preventDefault();
            setError(null);
            const r = await callAction(tillPinStartAction, { [byNumber ? "number" : "phone"]: value, tillId });
            if (r.ok) setSent(r.data as { id: string; phoneMasked: string | null });
            else fail(r);
          }}
        >
          {byNumber && <p className="text-sm text-slate-600">{t("pinNumberHint")}</p>}
          <div className="flex gap-2">
            <input
              key={byNumber ? "number" : "phone"}
              autoFocus
              className={byNumber ? `${input} font-mono` : input}
              inputMode={byNumber ? "text" : "tel"}
              autoComplete="off"
              spellCheck={false}
              aria-label={t(byNumber ? "cardNumber" : "phone")}
              placeholder={t(byNumber ? "cardNumber" : "phone")}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              data-testid={byNumber ? "till-pin-number" : "till-pin-phone"}
            />
            <Button type="submit">{t("pinSend")}</Button>
          </div>
        </form>
      ) : (
        <form
          className="mt-3 flex flex-wrap items-center gap-2"
          onSubmit={async (e) => {
            e.preventDefault();
            setError(null);
            const r = await callAction(tillPinVerifyAction, { id: sent.id, pin });
            if (r.ok) onFound(r.data as TillView);
            else {
              fail(r);
              setPin("");
              if (r.code === "confirmation_expired") setSent(null);
            }
          }}
        >
          <span className="text-sm">{sent.phoneMasked ? t("pinSent", { phone: sent.phoneMasked }) : t("pinSentHolder")}</span>
          <input
            autoFocus
            className={`${input} max-w-40 font-mono tracking-widest`}
            inputMode="numeric"
            autoComplete="one-time-code"
            aria-label={t("pinVerify")}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            data-testid="till-pin-code"
          />
          <Button type="submit">{t("pinVerify")}</Button>
        </form>
      )}
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </Card>
  );
}

/** A new card at the counter, or a pre-printed one activated by its number. */
export function IssuePanel({ tillId, onIssued }: { tillId: string; onIssued: (v: TillView) => void }) {
  const t = useTranslations("till.screen");
  const [fields, setFields] = useState({ phone: "", name: "", birthday: "", number: "" });
  const { error, setError, fail } = useFailure();
  const set = (k: keyof typeof fields) => (e: React.ChangeEvent<HTMLInputElement>) => setFields({ ...fields, [k]: e.target.value });
  return (
    <Card className="p-4" data-testid="till-issue">
      <h2 className="font-semibold">{t("issueTitle")}</h2>
      <form
        className="mt-3 grid gap-3 sm:grid-cols-2"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          const r = await callAction(tillIssueAction, { ...fields, tillId });
          if (r.ok) onIssued(r.data as TillView);
          else fail(r);
        }}
      >
        <label className="text-sm">
          {t("phone")}
          <input autoFocus className={input} inputMode="tel" value={fields.phone} onChange={set("phone")} data-testid="till-issue-phone" />
        </label>
        <label className="text-sm">
          {t("name")}
          <input className={input} value={fields.name} onChange={set("name")} maxLength={120} data-testid="till-issue-name" />
        </label>
        <label className="text-sm">
          {t("birthday")}
          <input className={input} type="date" value={fields.birthday} onChange={set("birthday")} />
        </label>
        <label className="text-sm">
          {t("stockNumber")}
          <input
            className={`${input} font-mono`}
            value={fields.number}
            onChange={set("number")}
            placeholder={t("stockNumberHint")}
            data-testid="till-issue-number"
          />
        </label>
        <div className="flex justify-end sm:col-span-2">
          <Button type="submit" data-testid="till-issue-submit">
            {fields.number ? t("activate") : t("issue")}
          </Button>
        </div>
      </form>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700" data-testid="till-issue-error">
          {error}
        </p>
      )}
    </Card>
  );
}
