"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavLink = { href: string; label: string; icon?: string };

export function SidebarLinks({
  main,
  settings,
  settingsLabel,
  onNavigate,
}: {
  main: NavLink[];
  settings: NavLink[];
  settingsLabel: string;
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  const item = (link: NavLink) => {
    const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
    return (
      <li key={link.href}>
        <Link
          href={link.href}
          onClick={onNavigate}
          aria-current={active ? "page" : undefined}
          className={clsx(
            "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium",
            active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
          )}
        >
          {link.icon ? (
            <svg
              viewBox="0 0 24 24"
              className="size-5 shrink-0"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
              strokeLinejoin="round"
              aria-hidden
            >
              <path d={link.icon} />
            </svg>
          ) : (
            <span className="size-5 shrink-0" aria-hidden />
          )}
          {link.label}
        </Link>
      </li>
    );
  };
  return (
    <nav className="flex flex-col gap-6">
      <ul className="flex flex-col gap-1">{main.map(item)}</ul>
      {settings.length > 0 && (
        <div>
          <p className="px-3 pb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">{settingsLabel}</p>
          <ul className="flex flex-col gap-1">{settings.map(item)}</ul>
        </div>
      )}
    </nav>
  );
}
