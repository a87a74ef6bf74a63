"use server";

import { getDb } from "@/db";
import { unsubscribeByToken } from "@/lib/push-events/consent";

export type StopNewsState = { done: boolean; invalid?: boolean } | null;

/** The stop page's button: the consent withdrawn for the customer the link names (the token is the only proof needed). */
export async function stopNewsAction(_prev: StopNewsState, form: FormData): Promise<StopNewsState> {
  const token = String(form.get("token") ?? "").slice(0, 100);
  const done = await unsubscribeByToken(getDb(), token);
  return done ? { done: true } : { done: false, invalid: true };
}
