"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { tillLookupAction, tillReverseAction } from "@/app/(cabinet)/till/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useMessage } from "@/components/ui/form";
import type { ActionResult } from "@/lib/actions/result";
import { CameraScan } from "./camera-scan";
import { CardPanel, type TillView } from "./card-panel";
import { IssuePanel, PinPanel } from "./side-panels";
import { callAction, newKey } from "./use-till-call";

type Recent = { id: string; type: string; number: string; points: number; amount: number | null; reversesId: string | null; createdAt: string };
type Props = {
  tills: { id: string; name: string }[];
  tillId: string;
  currency: string;
  may: { skip: boolean; reverse: boolean; issue: boolean };
  recent: Recent[];
};

const TILL_KEY = "carddesk.till";

export function CashierScreen({ tills, tillId, currency, may, recent }: Props) {
  const t = useTranslations("till.screen");
  const message = useMessage();
  const router = useRouter();
  const scan = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState("");
  const [found, setFound] = useState<TillView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choices, setChoices] = useState<{ id: string; number: string; templateName: string }[]>([]);
  const [side, setSide] = useState<"none" | "pin" | "issue">("none");
  // A rotating QR out of date, or a plain number its template refuses: the PIN to the card holder, by the number (typed, or to ask for).
  const [pinNumber, setPinNumber] = useState<string | null>(null);
  const [offerNumber, setOfferNumber] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The till chosen on this device is remembered, and kept in the address so the list below is this till's.
  useEffect(() => {
    const kept = localStorage.getItem(TILL_KEY);
    if (!tillId && kept && tills.some((x) => x.id === kept)) router.replace(`/till?till=${kept}`);
  }, [tillId, tills, router]);

  // The scan input is where the cashier starts again: on load, after choosing a till, and on Esc from anywhere.
  useEffect(() => scan.current?.focus(), [tillId]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setFound(null);
      setError(null);
      setChoices([]);
      setOfferNumber(null);
      setSide("none");
      setQ("");
      scan.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const fail = (r: ActionResult<unknown> & { ok: false }, text = "") => {
    const field = r.fieldErrors && Object.values(r.fieldErrors)[0];
    setError(message(field ?? r.error, r.params) ?? r.error);
    setChoices(r.code === "several_cards" ? ((r.data?.choices as typeof choices) ?? []) : []);
    // An expired QR carries no number to show: the cashier asks for it; a refused plain number is the one typed.
    setOfferNumber(r.code === "qr_expired" ? "" : r.code === "qr_required" ? text.trim() : null);
    if (r.code === "pin_required") openPin(null);
  };

  function openPin(number: string | null) {
    setPinNumber(number);
    setSide("pin");
  }

  async function lookup(text: string, cardId?: string) {
    if (!text.trim() && !cardId) return;
    setBusy(true);
    setError(null);
    setChoices([]);
    setOfferNumber(null);
    const r = await callAction(tillLookupAction, { q: text, cardId, tillId });
    setBusy(false);
    if (r.ok) {
      setFound(r.data as TillView);
      setQ("");
    } else {
      setFound(null);
      fail(r, text);
    }
  }

  // Stable, so the camera does not restart on every render.
  const lookupRef = useRef(lookup);
  useEffect(() => {
    lookupRef.current = lookup;
  });
  const onCamera = useCallback((code: string) => void lookupRef.current(code), []);

  function clear() {
    setFound(null);
    setError(null);
    setChoices([]);
    setOfferNumber(null);
    setSide("none");
    setQ("");
    scan.current?.focus();
  }

  return (
    <div className="flex flex-col gap-4" data-testid="cashier-screen">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <label className="flex items-center gap-2 text-sm">
          {t("tillLabel")}
          <select
            className="rounded-lg border border-slate-300 px-2 py-1.5"
            value={tillId}
            onChange={(e) => {
              localStorage.setItem(TILL_KEY, e.target.value);
              router.replace(e.target.value ? `/till?till=${e.target.value}` : "/till");
            }}
            data-testid="till-select"
          >
            <option value="">{t("noTill")}</option>
            {tills.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void lookup(q);
        }}
        className="flex gap-2"
      >
        <label htmlFor="till-scan" className="sr-only">
          {t("scanLabel")}
        </label>
        <input
          id="till-scan"
          ref={scan}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t("scanPlaceholder")}
          className="min-w-0 flex-1 rounded-xl border border-slate-300 px-4 py-3 font-mono text-lg"
          data-testid="till-scan"
        />
        <Button type="submit" disabled={busy}>
          {t("find")}
        </Button>
      </form>
      <div className="flex flex-wrap gap-2 text-sm">
        <CameraScan onCode={onCamera} />
        <Button variant="secondary" onClick={() => (side === "pin" ? setSide("none") : openPin(null))} data-testid="till-open-pin">
          {t("pinOpen")}
        </Button>
        {may.issue && (
          <Button variant="secondary" onClick={() => setSide(side === "issue" ? "none" : "issue")} data-testid="till-open-issue">
            {t("issueOpen")}
          </Button>
        )}
        {found && (
          <Button variant="secondary" onClick={clear}>
            {t("clear")}
          </Button>
        )}
      </div>
      {error && (
        <div
          role="alert"
          className="flex flex-wrap items-center justify-between gap-2 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800"
        >
          <p data-testid="till-error">{error}</p>
          {offerNumber !== null && (
            <Button variant="secondary" onClick={() => (openPin(offerNumber), setError(null), setOfferNumber(null))} data-testid="till-pin-by-number">
              {t("pinByNumberOffer")}
            </Button>
          )}
        </div>
      )}
      {choices.length > 0 && (
        <ul className="flex flex-wrap gap-2" data-testid="till-choices">
          {choices.map((c) => (
            <li key={c.id}>
              <Button variant="secondary" onClick={() => void lookup("", c.id)}>
                {c.templateName} · {c.number}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {side === "pin" && (
        <PinPanel
          key={pinNumber ?? "phone"}
          tillId={tillId}
          number={pinNumber ?? undefined}
          onFound={(v) => (setFound(v), setSide("none"), setError(null), setQ(""))}
        />
      )}
      {side === "issue" && <IssuePanel tillId={tillId} onIssued={(v) => (setFound(v), setSide("none"), setError(null))} />}
      {found && (
        <CardPanel
          key={found.card.id}
          view={found}
          tillId={tillId}
          currency={currency}
          maySkip={may.skip}
          onChanged={(v) => setFound(v)}
          onDone={() => router.refresh()}
        />
      )}
      <Card>
        <h2 className="border-b border-slate-100 px-4 py-3 font-semibold">{t("recent")}</h2>
        {recent.length === 0 ? (
          <p className="px-4 py-4 text-sm text-slate-500">{t("recentEmpty")}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="till-recent">
            {recent.map((x) => (
              <li key={x.id} className="flex items-center justify-between gap-3 px-4 py-2 text-sm" data-testid="till-recent-row">
                <span>
                  <span className="font-medium">{t(`types.${x.type}`)}</span> · <span className="font-mono">{x.number}</span> ·{" "}
                  {x.points > 0 ? `+${x.points}` : x.points} {t("pointsShort")}
                </span>
                {may.reverse && x.type !== "reversal" && x.type !== "expire" && (
                  <ReverseButton
                    id={x.id}
                    tillId={tillId}
                    onDone={() => {
                      router.refresh();
                      // The card on screen shows its balance after the reversal too, not the one before it.
                      if (found && found.card.number === x.number) void lookup("", found.card.id);
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function ReverseButton({ id, tillId, onDone }: { id: string; tillId: string; onDone: () => void }) {
  const t = useTranslations("till.screen");
  const message = useMessage();
  const [key] = useState(newKey);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex items-center gap-2">
      {error && <span className="text-xs text-red-700">{error}</span>}
      <Button
        variant="secondary"
        onClick={async () => {
          if (!window.confirm(t("reverseConfirm"))) return;
          const r = await callAction(tillReverseAction, { id, key, tillId });
          if (r.ok) onDone();
          else setError(message(r.error, r.params) ?? r.error);
        }}
      >
        {t("reverse")}
      </Button>
    </span>
  );
}
