"use client";

import type { ActionResult } from "@/lib/actions/result";

/** Calls a cabinet action with plain fields, as a form would post them. */
export async function callAction<T>(
  action: (prev: ActionResult<T> | null, data: FormData) => Promise<ActionResult<T>>,
  fields: Record<string, string | number | undefined | null>,
) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) data.set(k, String(v));
  return action(null, data);
}

/** Money typed by a cashier ("1500", "1 500,50") in minor units; NaN when it is not money. */
export function toMinor(text: string): number {
  const clean = text.replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return NaN;
  return Math.round(Number(clean) * 100);
}

export const newKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
