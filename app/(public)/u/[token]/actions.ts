"use server";

import { headers } from "next/headers";
import { getDb } from "@/db";
import { clientIp } from "@/lib/auth/client-ip";
import { unsubscribeByToken } from "@/lib/push-events/consent";

export type StopNewsState = { done: boolean; invalid?: boolean; lockedMinutes?: number } | null;

/** The stop page's button: the consent withdrawn for the customer the link names (the token is the only proof needed). */
export async function stopNewsAction(_prev: StopNewsState, form: FormData): Promise<StopNewsState> {
  const token = String(form.get("token") ?? "").slice(0, 100);
  const opened = await unsubscribeByToken(getDb(), token, clientIp(await headers()));
  if (opened.ok) return { done: true };
  return "lockedMinutes" in opened ? { done: false, lockedMinutes: opened.lockedMinutes } : { done: false, invalid: true };
}
