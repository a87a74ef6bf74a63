// Seeds the push bench: one merchant, its template and first card through the app's own services, then
// N holders, each with a card installed on one iPhone (a device registered for it with its own push
// token), with set-based SQL. The push event's audience is the template: every device gets one push.
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { seedMerchantWithFirstCard, timer } from "../wallet-service/seed";

export async function seedPushBench(db: Db, options: { devices: number; warm: number; log: (line: string) => void }) {
  const step = timer(options.log);
  const { merchant, owner, template, passTypeId } = await seedMerchantWithFirstCard(db, "Push bench");
  step("merchant, template, first card and signing certificate via lib/");
  const n = options.devices;
  const m = merchant.id;
  await db.execute(sql`
    insert into customers (merchant_id, phone, name)
    select ${m}::uuid, '+7997' || lpad(i::text, 7, '0'), 'Holder ' || i from generate_series(1, ${n}::int) i`);
  await db.execute(sql`
    insert into cards (merchant_id, template_id, customer_id, number, serial_number, authentication_token, link_token, status, first_installed_at)
    select ${m}::uuid, ${template.id}::uuid, cu.id, 'PB' || lpad(i::text, 9, '0'),
      md5('serial' || i || random()::text), md5('auth' || i || random()::text) || md5('auth2' || i), md5('link' || i || random()::text), 'installed', now()
    from generate_series(1, ${n}::int) i
    join customers cu on cu.merchant_id = ${m}::uuid and cu.phone = '+7997' || lpad(i::text, 7, '0')`);
  step(`${n} holders and their cards`);
  await db.execute(sql`
    insert into wallet_devices (merchant_id, platform, device_library_id, pass_type_id, push_token, model)
    select ${m}::uuid, 'apple', md5('device' || i), ${passTypeId}, md5('push' || i) || md5('push2' || i), 'iPhone'
    from generate_series(1, ${n}::int) i`);
  await db.execute(sql`
    insert into wallet_registrations (merchant_id, device_id, card_id)
    select ${m}::uuid, d.id, c.id from generate_series(1, ${n}::int) i
    join wallet_devices d on d.merchant_id = ${m}::uuid and d.device_library_id = md5('device' || i)
    join cards c on c.merchant_id = ${m}::uuid and c.number = 'PB' || lpad(i::text, 9, '0')`);
  step(`${n} devices and their registrations`);
  // The warm-up event's audience (bench/push): the first cards by id, picked out by a balance of 1.
  await db.execute(sql`
    update cards set balance = 1 where id in (select id from cards where merchant_id = ${m}::uuid order by id limit ${options.warm})`);
  step(`${options.warm} of them with a balance of 1, for the warm-up`);
  await db.execute(sql`vacuum analyze`);
  // The seed's dirty pages and WAL written out now, so neither run meets a checkpoint they started.
  await db.execute(sql`checkpoint`);
  step("vacuum analyze, checkpoint");
  const tokens = rowsOf<{ push_token: string }>(await db.execute(sql`select push_token from wallet_devices where merchant_id = ${m}::uuid`)).map(
    (r) => r.push_token,
  );
  return { merchant, owner, template, passTypeId, tokens };
}
