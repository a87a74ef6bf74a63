// Seeds the benchmark database: one merchant, its template and first card through the app's own
// services (so the rows are what the app writes), then the bulk of cards, holders, devices and
// registrations with set-based SQL (row by row through the services would take most of an hour).
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { issueCard } from "@/lib/cards";
import { createTemplate } from "@/lib/templates";
import { issueCardSchema } from "@/lib/validations/cards";
import { buildCardPass, loadCardForPass } from "@/lib/wallet/pass";
import { rowsOf } from "@/lib/wallet/queue";
import { benchMerchant } from "../lib/setup";

export type Seeded = {
  merchantId: string;
  passTypeId: string;
  firstCardId: string;
  /** The first card's signed pass, which the bare handler serves for every card. */
  samplePass: Buffer;
  cards: number;
  devices: number;
  registrations: number;
};

const DAY_MS = 86_400_000;

/**
 * One merchant, its template and first card through the app's own services (the first pass build makes
 * the development signing certificate): what a bulk seed then copies with set-based SQL.
 */
export async function seedMerchantWithFirstCard(db: Db, organisation: string) {
  const { merchant, owner, actor } = await benchMerchant(db, organisation);
  const template = await createTemplate(db, actor, { name: "Bench loyalty card", kind: "loyalty" });
  const input = issueCardSchema("RU").parse({ templateId: template.id, customer: { phone: "+79990000000", name: "First Holder" } });
  const first = await issueCard(db, merchant.id, { type: "staff", userId: owner.id }, input);
  const samplePass = await buildCardPass(db, await loadCardForPass(db, merchant.id, first.id));
  const [cred] = rowsOf<{ pass_type_id: string }>(
    await db.execute(sql`select pass_type_id from merchant_credentials where merchant_id = ${merchant.id}::uuid and kind = 'apple_dev'`),
  );
  return { merchant, owner, template, first, samplePass, passTypeId: cred.pass_type_id };
}

export async function seedWalletBench(db: Db, options: { cards: number; devices: number; log: (line: string) => void }): Promise<Seeded> {
  const step = timer(options.log);
  const { merchant, template, first, samplePass, passTypeId } = await seedMerchantWithFirstCard(db, "Bench Coffee");
  const cred = { pass_type_id: passTypeId };
  step("merchant, template, first card and signing certificate via lib/");

  const n = options.cards - 1;
  const m = merchant.id;
  await db.execute(sql`
    insert into customers (merchant_id, phone, name)
    select ${m}::uuid, '+7998' || lpad(i::text, 7, '0'), 'Holder ' || i from generate_series(1, ${n}::int) i`);
  step(`${n} customers`);
  // Tags spread over 30 days in whole seconds, like real changes; numbers, serials and tokens unique per card.
  const now = Date.now();
  await db.execute(sql`
    insert into cards (merchant_id, template_id, customer_id, number, serial_number, authentication_token, link_token, balance, update_tag, created_at, updated_at)
    select ${m}::uuid, ${template.id}::uuid, cu.id, 'BN' || lpad(i::text, 9, '0'),
      md5('serial' || i || random()::text), md5('auth' || i || random()::text) || md5('auth2' || i), md5('link' || i || random()::text),
      (i * 37) % 500, ${now}::bigint - (floor(random() * ${(30 * DAY_MS) / 1000}) * 1000)::bigint, now(), now()
    from generate_series(1, ${n}::int) i
    join customers cu on cu.merchant_id = ${m}::uuid and cu.phone = '+7998' || lpad(i::text, 7, '0')`);
  step(`${n} cards`);
  // Devices hold 1–4 cards (40/30/20/10 %): one phone, sometimes a watch or an iPad beside it.
  await db.execute(sql`
    insert into wallet_devices (merchant_id, platform, device_library_id, pass_type_id, push_token, model)
    select ${m}::uuid, 'apple', md5('device' || i), ${cred.pass_type_id}, md5('push' || i) || md5('push2' || i),
      (array['iPhone', 'iPhone', 'iPhone', 'iPhone', 'Apple Watch', 'iPad'])[1 + i % 6]
    from generate_series(1, ${options.devices}::int) i`);
  await db.execute(sql`
    with d as (
      select id, i, case when i % 10 < 4 then 1 when i % 10 < 7 then 2 when i % 10 < 9 then 3 else 4 end as k
      from (select id, row_number() over (order by device_library_id) as i from wallet_devices where merchant_id = ${m}::uuid) x
    ), picks as (
      select d.id as device_id, 1 + ((d.i * 7919 + j * 20011) % ${n}::int) as card_index from d, generate_series(0, 3) j where j < d.k
    )
    insert into wallet_registrations (merchant_id, device_id, card_id)
    select ${m}::uuid, p.device_id, c.id from picks p
    join cards c on c.merchant_id = ${m}::uuid and c.number = 'BN' || lpad(p.card_index::text, 9, '0')
    on conflict (device_id, card_id) do nothing`);
  await db.execute(sql`
    update cards c set status = 'installed', first_installed_at = c.created_at
    where c.merchant_id = ${m}::uuid and exists (select 1 from wallet_registrations r where r.card_id = c.id)`);
  step(`${options.devices} devices and their registrations`);
  await db.execute(sql`vacuum analyze`);
  step("vacuum analyze");

  const [counts] = rowsOf<{ cards: number; devices: number; registrations: number }>(
    await db.execute(
      sql`select (select count(*)::int from cards) as cards, (select count(*)::int from wallet_devices) as devices, (select count(*)::int from wallet_registrations) as registrations`,
    ),
  );
  return { merchantId: m, passTypeId: cred.pass_type_id, firstCardId: first.id, samplePass, ...counts };
}

/** What the load generator picks from: every device and every card with its token and tag. */
export async function loadTargets(db: Db, merchantId: string) {
  const devices = rowsOf<{ device_library_id: string }>(
    await db.execute(sql`select device_library_id from wallet_devices where merchant_id = ${merchantId}::uuid`),
  ).map((r) => r.device_library_id);
  const cards = rowsOf<{ serial_number: string; authentication_token: string; update_tag: string }>(
    await db.execute(
      sql`select serial_number, authentication_token, update_tag from cards where merchant_id = ${merchantId}::uuid and number like 'BN%' order by random()`,
    ),
  ).map((r) => ({ serial: r.serial_number, token: r.authentication_token, tag: Number(r.update_tag) }));
  const minTag = cards.reduce((min, c) => Math.min(min, c.tag), Infinity);
  const maxTag = cards.reduce((max, c) => Math.max(max, c.tag), 0);
  return { devices, cards, minTag, maxTag };
}

export function timer(log: (line: string) => void) {
  let last = performance.now();
  return (what: string) => {
    const now = performance.now();
    log(`  seeded ${what} in ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}
