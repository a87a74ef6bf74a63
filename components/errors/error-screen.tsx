"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Logo } from "@/components/layout/logo";

/**
 * What a visitor sees instead of a page that failed to render: our own words in their language, a
 * way to retry and a way home, and the digest that finds the server's log line (never the error's text).
 */
export function ErrorScreen({
  error,
  reset,
  fullPage,
  customer,
}: {
  error: Error & { digest?: string };
  reset: () => void;
  fullPage?: boolean;
  customer?: boolean;
}) {
  const t = useTranslations("errorPage");
  // A customer has no dashboard: their way home is their cards.
  const home = customer ? { href: "/my", label: t("customerHome"), text: t("customerText") } : { href: "/dashboard", label: t("home"), text: t("text") };
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className={fullPage ? "grid min-h-dvh place-items-center p-6" : "grid place-items-center px-4 py-16"} data-testid="error-screen">
      <div className="max-w-md text-center">
        <Logo className="text-lg" />
        <h1 className="mt-6 text-xl font-semibold">{t("title")}</h1>
        <p className="mt-2 text-sm text-slate-600">{home.text}</p>
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          <button type="button" onClick={reset} className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
            {t("retry")}
          </button>
          {/* A plain link: after a failed render the client router's state may be the broken part. */}
          <Link href={home.href} prefetch={false} className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">
            {home.label}
          </Link>
        </div>
        {error.digest && <p className="mt-6 font-mono text-xs text-slate-400">{t("reference", { digest: error.digest })}</p>}
      </div>
    </div>
  );
}
