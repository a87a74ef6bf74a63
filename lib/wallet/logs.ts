import "server-only";
import { count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { walletLogs } from "@/db/schema";
import { FixedWindowLimiter } from "@/lib/api/rate-limit";
import { rowsOf } from "./queue";

export const WALLET_LOG_PAGE_SIZE = 50;

/** What Apple Wallet reported about the merchant's passes, newest first. */
export async function listWalletLogs(db: Db, merchantId: string, opts: { page: number; pageSize: number }) {
  const where = eq(walletLogs.merchantId, merchantId);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(walletLogs)
      .where(where)
      .orderBy(desc(walletLogs.createdAt), desc(walletLogs.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ total: count() }).from(walletLogs).where(where),
  ]);
  return { rows, total };
}

/*
 * The log endpoint has no authentication (Wallet sends none), so anyone can post to it. Wallet posts
 * rarely — a device reports a failed request now and then — so a few posts a minute per address is
 * plenty; the process-wide cap bounds what many addresses together can write. In-memory and per
 * process, like the API limiter: the limit is against flooding, and excess diagnostics are just dropped.
 */
export const WALLET_LOG_POSTS_PER_IP = 20;
export const WALLET_LOG_POSTS_PER_PROCESS = 600;
const holder = globalThis as unknown as { __carddeskWalletLogLimits?: { ip: FixedWindowLimiter; all: FixedWindowLimiter } };
const limits = (holder.__carddeskWalletLogLimits ??= {
  ip: new FixedWindowLimiter(WALLET_LOG_POSTS_PER_IP),
  all: new FixedWindowLimiter(WALLET_LOG_POSTS_PER_PROCESS),
});

/** Whether a log post from this address may be stored now (counts it). */
export function allowWalletLogPost(ip: string, now = Date.now()): boolean {
  return limits.ip.hit(ip, now).ok && limits.all.hit("all", now).ok;
}

const MAX_LOG_LINES = 100;
const MAX_LOG_LINE = 2000;
// Wallet's lines read "… (pass type pass.com.example, serial number ABC123, …) encountered error: …".
const SERIAL = /serial number ([A-Za-z0-9._~-]{1,200})/g;
const PASS_TYPE = /pass\.[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]/g;

/**
 * Keeps Wallet's log lines for the merchant they concern. A line naming a serial number goes to the
 * merchant who owns that card, and only if the pass type it names (if any) is the one that merchant
 * signs with; a line naming only a pass type goes to its one holder, and is dropped if more than one
 * merchant holds it. Never to every holder of a pass type: a pass type id proves nothing about who
 * posted. Sizes are capped; lines naming nothing known are dropped.
 */
export async function storeWalletLogs(db: Db, logs: unknown): Promise<number> {
  if (!Array.isArray(logs)) return 0;
  const lines = logs
    .filter((l): l is string => typeof l === "string" && l.trim() !== "")
    .slice(0, MAX_LOG_LINES)
    .map((l) => l.slice(0, MAX_LOG_LINE))
    .map((message) => ({
      message,
      serials: [...new Set([...message.matchAll(SERIAL)].map((m) => m[1]))],
      passTypes: [...new Set(message.match(PASS_TYPE) ?? [])],
    }));
  const serials = [...new Set(lines.flatMap((l) => l.serials))];
  const passTypes = [...new Set(lines.filter((l) => !l.serials.length).flatMap((l) => l.passTypes))];
  if (!serials.length && !passTypes.length) return 0;
  const list = (values: string[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );

  // Each card's merchant with the pass type id that merchant signs with now (uploaded, else development).
  const cardOwners = serials.length
    ? rowsOf<{ serial_number: string; merchant_id: string; pass_type_id: string | null }>(
        await db.execute(sql`
          select c.serial_number, c.merchant_id, (select mc.pass_type_id from merchant_credentials mc
            where mc.merchant_id = c.merchant_id and mc.kind in ('apple', 'apple_dev') order by (mc.kind = 'apple') desc limit 1) as pass_type_id
          from cards c where c.serial_number in (${list(serials)})`),
      )
    : [];
  const bySerial = new Map(cardOwners.map((o) => [o.serial_number, o]));
  const passTypeHolders = passTypes.length
    ? rowsOf<{ pass_type_id: string; merchant_id: string }>(
        await db.execute(sql`select distinct pass_type_id, merchant_id from merchant_credentials
          where kind in ('apple', 'apple_dev') and pass_type_id in (${list(passTypes)})`),
      )
    : [];
  const holders = new Map<string, string[]>();
  for (const h of passTypeHolders) holders.set(h.pass_type_id, [...(holders.get(h.pass_type_id) ?? []), h.merchant_id]);

  const values: { merchantId: string; message: string }[] = [];
  for (const line of lines) {
    const merchants = new Set<string>();
    if (line.serials.length) {
      for (const serial of line.serials) {
        const owner = bySerial.get(serial);
        if (owner && (!line.passTypes.length || (owner.pass_type_id !== null && line.passTypes.includes(owner.pass_type_id)))) merchants.add(owner.merchant_id);
      }
    } else {
      for (const passType of line.passTypes) {
        const held = holders.get(passType) ?? [];
        if (held.length === 1) merchants.add(held[0]);
      }
    }
    for (const merchantId of merchants) values.push({ merchantId, message: line.message });
  }
  if (values.length) await db.insert(walletLogs).values(values);
  return values.length;
}
