"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-reads the page every second while `active` (long work in the worker), and stops once it is done. */
export function AutoRefresh({ active, intervalMs = 1000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
