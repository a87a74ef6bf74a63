"use client";

import { useTranslations } from "next-intl";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { SidebarLinks, type NavLink } from "./sidebar";

export function MobileNav(props: { main: NavLink[]; settings: NavLink[]; settingsLabel: string }) {
  const t = useTranslations("nav");
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // A navigation the menu did not start itself (e.g. confirmed in a "leave without saving?" dialog) closes it too.
  const pathname = usePathname();
  const [shownAt, setShownAt] = useState(pathname);
  if (shownAt !== pathname) {
    setShownAt(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && (setOpen(false), button.current?.focus());
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <div className="lg:hidden">
      <button
        ref={button}
        type="button"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        aria-controls="mobile-nav"
        className="grid size-10 place-items-center rounded-lg text-slate-700 hover:bg-slate-100"
      >
        <span className="sr-only">{t("menu")}</span>
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden>
          <path d={open ? "M6 6l12 12M18 6 6 18" : "M4 7h16M4 12h16M4 17h16"} />
        </svg>
      </button>
      {open && (
        <div id="mobile-nav" className="absolute inset-x-0 top-16 z-30 border-b border-slate-200 bg-white p-4 shadow-lg">
          <SidebarLinks {...props} onNavigate={() => setOpen(false)} />
        </div>
      )}
    </div>
  );
}
