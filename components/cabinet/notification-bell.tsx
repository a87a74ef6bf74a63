"use client";

import clsx from "clsx";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, useTransition } from "react";
import { archiveNotificationAction, closeNotificationAction } from "@/app/(cabinet)/notification-actions";
import { useMessage } from "@/components/ui/form";

export type BellItem = { id: string; text: string; level: "info" | "success" | "warning" | "error"; time: string };

const dot = { info: "bg-brand-500", success: "bg-emerald-500", warning: "bg-amber-500", error: "bg-red-500" };

export function NotificationBell({
  active,
  archived,
  activeTotal,
  canManage,
}: {
  active: BellItem[];
  archived: BellItem[];
  activeTotal: number;
  canManage: boolean;
}) {
  const t = useTranslations("notifications");
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<"active" | "archived">("active");
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const message = useMessage();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => root.current && !root.current.contains(e.target as Node) && setOpen(false);
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", onClick);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const run = (action: typeof archiveNotificationAction, id: string) => {
    const fd = new FormData();
    fd.set("id", id);
    startTransition(async () => {
      const result = await action(null, fd);
      setError(result.ok ? null : result.error);
    });
  };

  const items = tab === "active" ? active : archived;
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        aria-haspopup="dialog"
        className="relative grid size-10 place-items-center rounded-lg text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        data-testid="notification-bell"
      >
        <span className="sr-only">{t("title")}</span>
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden>
          <path d="M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2Zm4 4a2 2 0 0 0 4 0" />
        </svg>
        {activeTotal > 0 && (
          <span
            className="absolute top-1 right-1 grid min-w-4 place-items-center rounded-full bg-red-500 px-1 text-[10px] font-bold text-white"
            data-testid="notification-count"
          >
            {activeTotal > 99 ? "99+" : activeTotal}
          </span>
        )}
      </button>
      {open && (
        <div
          role="dialog"
          aria-label={t("title")}
          className="fixed inset-x-4 top-16 z-40 rounded-xl border border-slate-200 bg-white shadow-xl sm:absolute sm:inset-x-auto sm:top-auto sm:right-0 sm:mt-2 sm:w-96"
        >
          <div className="flex gap-1 border-b border-slate-100 p-2" role="tablist">
            {(["active", "archived"] as const).map((name) => (
              <button
                key={name}
                role="tab"
                type="button"
                aria-selected={tab === name}
                onClick={() => setTab(name)}
                className={clsx(
                  "rounded-md px-3 py-1.5 text-sm font-medium",
                  tab === name ? "bg-slate-100 text-slate-900" : "text-slate-500 hover:text-slate-800",
                )}
              >
                {t(name)}
              </button>
            ))}
          </div>
          {error && (
            <p role="alert" className="mx-4 mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
              {message(error)}
            </p>
          )}
          <ul className={clsx("max-h-96 overflow-y-auto", pending && "opacity-60")}>
            {items.length === 0 && <li className="px-4 py-8 text-center text-sm text-slate-500">{t(tab === "active" ? "emptyActive" : "emptyArchived")}</li>}
            {items.map((n) => (
              <li key={n.id} className="flex gap-3 border-b border-slate-100 px-4 py-3 last:border-0">
                <span className={clsx("mt-1.5 size-2 shrink-0 rounded-full", dot[n.level])} aria-hidden />
                <div className="min-w-0 flex-1">
                  <p className="text-sm text-slate-800">{n.text}</p>
                  <p className="mt-0.5 text-xs text-slate-500">{n.time}</p>
                  {canManage && (
                    <div className="mt-1 flex gap-3 text-xs font-medium">
                      {tab === "active" && (
                        <button type="button" className="text-brand-600 hover:text-brand-700" onClick={() => run(archiveNotificationAction, n.id)}>
                          {t("archive")}
                        </button>
                      )}
                      <button type="button" className="text-slate-500 hover:text-slate-800" onClick={() => run(closeNotificationAction, n.id)}>
                        {t("close")}
                      </button>
                    </div>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
