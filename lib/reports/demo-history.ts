import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { issueCard } from "@/lib/cards";
import { postTransaction } from "@/lib/ledger";
import { listLocations } from "@/lib/locations";
import { registerDevice } from "@/lib/wallet/service";
import { rebuildMerchantReports } from "./rebuild";

/**
 * A few months of plausible history for a demo (or a browser test's) merchant, so its reports and
 * dashboard are not empty: cards issued through the real services — some installed on an iPhone, a
 * Watch or Android, some buying at the points of sale — then each card's events moved back to a day
 * in the last `days`, and the merchant's figures folded again. Deterministic for a given merchant (a seeded generator).
 */
export async function seedReportHistory(db: Db, merchant: { id: string; ownerId: string; templateId: string }, opts: { cards?: number; days?: number } = {}) {
  const cards = opts.cards ?? 40;
  const days = opts.days ?? 90;
  // mulberry32: integer arithmetic (Math.imul), so every bit is random, unlike an LCG in doubles.
  let seed = parseInt(merchant.id.slice(0, 8), 16) | 0;
  const rand = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const { rows: locations } = await listLocations(db, merchant.id, { page: 1, pageSize: 10 });
  const till = { merchantId: merchant.id, actor: { type: "api" as const, keyId: "demo-till" } };
  for (let i = 0; i < cards; i++) {
    const phone = `+7999${String(parseInt(merchant.id.slice(-6), 16) % 1000).padStart(3, "0")}${String(i).padStart(4, "0")}`;
    const actor = rand(3) === 0 ? till.actor : { type: "staff" as const, userId: merchant.ownerId };
    const card = await issueCard(db, merchant.id, actor, {
      templateId: merchant.templateId,
      customer: { phone, name: `Guest ${i + 1}` },
      allowDuplicate: true,
    });
    if (rand(10) < 7) {
      const platform = rand(3) === 0 ? "google" : "apple";
      const model = platform === "google" ? "Pixel 8" : rand(4) === 0 ? "Watch7,1" : "iPhone16,2";
      await registerDevice(
        db,
        { ...card, passTypeId: "pass.demo" },
        { platform, deviceLibraryId: `demo-${card.id.slice(0, 8)}`, passTypeId: "pass.demo", pushToken: null, model },
      );
    }
    for (let p = rand(5); p > 0; p--) {
      const location = locations.length ? locations[rand(locations.length)].id : undefined;
      await postTransaction(db, till, { cardId: card.id, type: "purchase", amount: (20 + rand(300)) * 100, locationId: location }).catch(() => null);
    }
    // Back in time: the card's events keep their order, and the issue comes some hours before the rest.
    const back = 1 + rand(days - 1);
    const head = rand(72);
    await db.execute(sql`update card_events set created_at = created_at - make_interval(days => ${back}, hours => case when type = 'card.issued' then ${head} else 0 end)
    where merchant_id = ${merchant.id}::uuid and card_id = ${card.id}::uuid`);
  }
  // The fold may have counted some events before they were moved back: this merchant's figures are folded again.
  await rebuildMerchantReports(db, merchant.id);
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from card_events where merchant_id = ${merchant.id}::uuid`));
  return { events: row.n };
}
