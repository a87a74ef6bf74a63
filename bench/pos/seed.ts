// Seeds the POS benchmark: the wallet benchmark's merchant, loyalty template (the default points
// programme), 100,000 cards with their holders and, for about half of them, the wallets holding them
// (a purchase on a card in a wallet also queues its pass update, as in production). Then every card
// gets a balance to redeem from, and the merchant one API key per till.
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { createApiKey } from "@/lib/api-keys";
import { rowsOf } from "@/lib/wallet/queue";
import { seedWalletBench } from "../wallet-service/seed";

export type PosTargets = {
  /** One `pos:write` key per till (load connection), as a merchant would issue them. */
  keys: string[];
  cards: { id: string; number: string }[];
  hotCardId: string;
};

export async function seedPosBench(db: Db, options: { cards: number; tills: number; log: (line: string) => void }) {
  const seeded = await seedWalletBench(db, { cards: options.cards, devices: Math.round(options.cards / 4), log: options.log });
  const started = performance.now();
  // Balances as a ledger leaves them: every card's points came in one earlier accrual, a lot that never
  // expires (set-based, a few seconds). A till's purchase then meets tables with history, as in
  // production, not empty ones whose first plans would see no rows.
  await db.execute(sql`update cards set balance = 5000 + (hashtext(id::text) & 1023) where merchant_id = ${seeded.merchantId}::uuid`);
  await db.execute(sql`
    with t as (
      insert into ledger_transactions (merchant_id, card_id, type, points, accrued, balance_after, actor_type, created_at)
      select merchant_id, id, 'accrue', balance, balance, balance, 'system', now() - interval '30 days'
      from cards where merchant_id = ${seeded.merchantId}::uuid
      returning id, card_id, points, created_at)
    insert into ledger_movements (transaction_id, card_id, points, balance_after, remaining, created_at)
    select id, card_id, points, points, points, created_at from t`);
  const [owner] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where merchant_id = ${seeded.merchantId}::uuid limit 1`));
  const keys: string[] = [];
  for (let i = 0; i < options.tills; i++) {
    const { key } = await createApiKey(db, { merchantId: seeded.merchantId, userId: owner.id }, { name: `Till ${i + 1}`, scopes: ["pos:write"] });
    keys.push(key);
  }
  // The statistics and visibility a live database's autovacuum keeps (a CI machine's PostgreSQL may run without it).
  await db.execute(sql`vacuum analyze`);
  options.log(`  seeded balances and ${options.tills} till keys in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const [held] = rowsOf<{ held: number }>(
    await db.execute(sql`select count(distinct card_id)::int as held from wallet_registrations where merchant_id = ${seeded.merchantId}::uuid`),
  );
  return { ...seeded, keys, held: held.held };
}

export async function loadPosTargets(db: Db, merchantId: string, hotCardId: string, keys: string[]): Promise<PosTargets> {
  const cards = rowsOf<{ id: string; number: string }>(
    await db.execute(sql`select id, number from cards where merchant_id = ${merchantId}::uuid and id <> ${hotCardId}::uuid order by random()`),
  );
  return { keys, cards, hotCardId };
}
