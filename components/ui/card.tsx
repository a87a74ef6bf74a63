import clsx from "clsx";
import type { ComponentProps, ReactNode } from "react";

export function Card({ children, className, ...props }: ComponentProps<"section">) {
  return (
    <section className={clsx("rounded-xl border border-slate-200 bg-white shadow-sm", className)} {...props}>
      {children}
    </section>
  );
}

/** A page's title and description; `meta` (badges) sits under them, `actions` (buttons) beside on wide screens. */
export function PageHeader({ title, description, actions, meta }: { title: string; description?: string; actions?: ReactNode; meta?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">{title}</h1>
        {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
        {meta && <div className="mt-2 flex flex-wrap items-center gap-2">{meta}</div>}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

/** One outline drawing per kind of empty list, so each empty page says at a glance what is missing. */
const EMPTY_ICONS = {
  locations: "M12 21s-7-5.5-7-11a7 7 0 1 1 14 0c0 5.5-7 11-7 11Z M14.5 10a2.5 2.5 0 1 1-5 0 2.5 2.5 0 0 1 5 0Z",
  cards: "M5.5 5h13A2.5 2.5 0 0 1 21 7.5v9a2.5 2.5 0 0 1-2.5 2.5h-13A2.5 2.5 0 0 1 3 16.5v-9A2.5 2.5 0 0 1 5.5 5Z M3 10h18 M7 15h4",
  templates: "M12 3 3 7.5l9 4.5 9-4.5L12 3Z M3 12l9 4.5 9-4.5 M3 16.5 12 21l9-4.5",
  messages: "M4 5h16v11H9l-5 4V5Z M8 9h8 M8 12h5",
  search: "M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Z M20 20l-4.8-4.8 M8 10.5h5",
  keys: "M15 13a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z M12.2 11.8 4 20v-3h3v-3h3l2.2-2.2 M16 8.5h.01",
  wallet: "M19 8V6a1 1 0 0 0-1-1H5a2 2 0 0 0 0 4h14a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H5a2 2 0 0 1-2-2V7 M16 14h.01",
  inbox: "M3 13h5l1.5 2.5h5L16 13h5 M5.5 5h13L21 13v5a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-5l2.5-8Z",
} as const;

export type EmptyIcon = keyof typeof EMPTY_ICONS;

export function EmptyState({ title, text, action, icon = "inbox" }: { title: string; text: string; action?: ReactNode; icon?: EmptyIcon }) {
  return (
    <div className="flex flex-col items-center gap-2 px-6 py-14 text-center">
      <div className="grid size-12 place-items-center rounded-full bg-brand-50 text-brand-600" aria-hidden data-testid="empty-icon" data-icon={icon}>
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          <path d={EMPTY_ICONS[icon]} />
        </svg>
      </div>
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <p className="max-w-sm text-sm text-slate-600">{text}</p>
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}

const badgeTone = {
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  gray: "bg-slate-100 text-slate-600 ring-slate-500/20",
  blue: "bg-brand-50 text-brand-700 ring-brand-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/20",
};

export function Badge({ tone = "gray", children }: { tone?: keyof typeof badgeTone; children: ReactNode }) {
  return <span className={clsx("inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset", badgeTone[tone])}>{children}</span>;
}
