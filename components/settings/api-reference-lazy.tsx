"use client";

import dynamic from "next/dynamic";
import { useTranslations } from "next-intl";

function Loading() {
  const t = useTranslations("apiReference");
  return (
    <p role="status" className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-500">
      {t("loading")}
    </p>
  );
}

/**
 * Scalar's bundle is several megabytes of script. Loaded after the page is shown, not before: a
 * navigation to the page then commits at once (its header and links are usable) instead of waiting
 * for the bundle to download and parse, which took over ten seconds on a loaded two-core machine.
 */
export const LazyApiReference = dynamic(() => import("./api-reference").then((m) => m.ApiReference), {
  ssr: false,
  loading: Loading,
});
