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
  // Balances as a ledger would have left them (set directly: 100,000 opening transactions would only slow the seed).
  await db.execute(sql`update cards set balance = 5000 + (hashtext(id::text) & 1023) where merchant_id = ${seeded.merchantId}::uuid`);
  const [owner] = rowsOf<{ id: string }>(await db.execute(sql`select id from users where merchant_id = ${seeded.merchantId}::uuid limit 1`));
  const keys: string[] = [];
  for (let i = 0; i < options.tills; i++) {
    const { key } = await createApiKey(db, { merchantId: seeded.merchantId, userId: owner.id }, { name: `Till ${i + 1}`, scopes: ["pos:write"] });
    keys.push(key);
  }
  await db.execute(sql`vacuum analyze cards`);
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
