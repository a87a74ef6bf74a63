"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { useMessage } from "@/components/ui/form";
import { eventFieldName } from "@/lib/validations/webhooks";
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/catalogue";

/** "All events", or a choice among the catalogue's; the list is hidden while "all" is ticked. */
export function EventsFieldset({ defaultEvents, state }: { defaultEvents: string[]; state: ActionResult | null }) {
  const t = useTranslations("webhooks");
  const message = useMessage();
  const kept = state && !state.ok ? state.values : undefined;
  const initial = kept ? Object.keys(kept).flatMap((k) => (k.startsWith("event.") ? [k.slice(6)] : [])) : defaultEvents;
  const [all, setAll] = useState(initial.includes(ALL_EVENTS));
  const error = state && !state.ok ? (state.fieldErrors?.events ?? state.fieldErrors?.["events.0"]) : undefined;
  return (
    <fieldset aria-describedby={error ? "webhook-events-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">{t("eventsLegend")}</legend>
      <label className="mt-2 flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" name={eventFieldName(ALL_EVENTS)} checked={all} onChange={(e) => setAll(e.target.checked)} className="size-4 accent-brand-600" />
        {t("allEvents")}
      </label>
      {!all && (
        <div className="mt-2 grid gap-1.5 sm:grid-cols-3">
          {WEBHOOK_EVENT_TYPES.filter((type) => type !== "webhook.test").map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name={eventFieldName(type)} defaultChecked={initial.includes(type)} className="size-4 accent-brand-600" />
              <code className="font-mono text-xs">{type}</code>
            </label>
          ))}
        </div>
      )}
      {error && (
        <p id="webhook-events-error" className="mt-1.5 text-sm text-red-600">
          {message(error)}
        </p>
      )}
    </fieldset>
  );
}
