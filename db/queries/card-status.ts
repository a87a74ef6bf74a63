import "server-only";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, type Card } from "@/db/schema";

/**
 * A card's status from what happened to it: blocked (lost or deactivated) wins, then a passed expiry
 * date, then whether a wallet holds it now, held it once, or never did. Never typed in.
 */
export const derivedStatus: SQL = sql`(case
  when ${cards.blockReason} is not null then 'blocked'
  when ${cards.expiresAt} is not null and ${cards.expiresAt} <= now() then 'expired'
  when exists (select 1 from wallet_registrations r where r.card_id = ${cards.id}) then 'installed'
  when ${cards.firstInstalledAt} is not null then 'removed'
  else 'issued' end)::card_status`;

/**
 * Re-derives the status of some cards after a change. A separate statement from the change itself,
 * because an UPDATE's SET sees the row as it was before that UPDATE.
 */
export async function refreshCardStatus(db: Db, merchantId: string, cardIds: string[]): Promise<Card[]> {
  if (!cardIds.length) return [];
  return db
    .update(cards)
    .set({ status: derivedStatus })
    .where(and(eq(cards.merchantId, merchantId), inArray(cards.id, cardIds)))
    .returning();
}

/** The next update tag: later than the last one and than now, so wallets asking "since" see every change. */
// Each change moves the tag into a later whole second: Last-Modified and If-Modified-Since have
// one-second resolution, so two changes within one second must not share it.
export const nextUpdateTag = sql`greatest((floor(${cards.updateTag} / 1000) + 1) * 1000, (extract(epoch from clock_timestamp()) * 1000)::bigint)`;
