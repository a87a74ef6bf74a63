"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Keeps a rotating QR current: the page is drawn again every half hour, and whenever it comes back into view. */
export function RefreshWhileOpen({ minutes = 30 }: { minutes?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), minutes * 60_000);
    const onVisible = () => document.visibilityState === "visible" && router.refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [router, minutes]);
  return null;
}
