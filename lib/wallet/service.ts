import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, walletDevices, walletRegistrations } from "@/db/schema";
import { record } from "@/lib/card-events";
import { refreshCardStatus } from "@/db/queries/card-status";
import { isCleanParam } from "@/lib/validations/common";
import { rowsOf } from "./queue";

/** What the web service needs to know of a card before anything else: who owns it and its secret. */
export type PassIdentity = { id: string; merchantId: string; authenticationToken: string; updateTag: number; passTypeId: string | null };

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of the token a device sent with the card's. */
export function tokenMatches(expected: string, given: string | null): boolean {
  return given !== null && timingSafeEqual(digest(expected), digest(given));
}

/** `Authorization: ApplePass <token>` → the token, or null. */
export function applePassToken(header: string | null): string | null {
  const m = /^ApplePass\s+(\S+)\s*$/.exec(header ?? "");
  return m ? m[1] : null;
}

/**
 * The web service's hot reads as prepared statements: drizzle sends every other query unnamed, which
 * costs PostgreSQL a parse and a plan per call (0.5 ms for the list's three-table join, more than the
 * query itself) and postgres.js an extra round trip to learn the parameter types. Prepared once per
 * database handle; each connection then plans them once.
 */
function prepareWalletQueries(db: Db) {
  // The uploaded certificate's pass type identifier, else the development one's. The outer column is
  // written out: drizzle leaves columns unqualified in a one-table select, and inside the subquery an
  // unqualified merchant_id would be the credential's own.
  const passTypeId = sql<string | null>`(select mc.pass_type_id from merchant_credentials mc
    where mc.merchant_id = cards.merchant_id and mc.kind in ('apple', 'apple_dev')
    order by (mc.kind = 'apple') desc limit 1)`;
  const identity = db
    .select({ id: cards.id, merchantId: cards.merchantId, authenticationToken: cards.authenticationToken, updateTag: cards.updateTag, passTypeId })
    .from(cards)
    .where(eq(cards.serialNumber, sql.placeholder("serial")))
    .prepare("wallet_pass_identity");
  const serials = (withSince: boolean) =>
    db
      .select({ serialNumber: cards.serialNumber, updateTag: cards.updateTag })
      .from(walletDevices)
      .innerJoin(walletRegistrations, and(eq(walletRegistrations.deviceId, walletDevices.id), eq(walletRegistrations.merchantId, walletDevices.merchantId)))
      .innerJoin(cards, and(eq(cards.id, walletRegistrations.cardId), eq(cards.merchantId, walletDevices.merchantId)))
      .where(
        and(
          eq(walletDevices.deviceLibraryId, sql.placeholder("device")),
          eq(walletDevices.passTypeId, sql.placeholder("passType")),
          eq(walletDevices.platform, "apple"),
          withSince ? gt(cards.updateTag, sql.placeholder("since")) : undefined,
        ),
      )
      .prepare(withSince ? "wallet_serials_since" : "wallet_serials_all");
  return { identity, serialsAll: serials(false), serialsSince: serials(true) };
}

const prepared = new WeakMap<Db, ReturnType<typeof prepareWalletQueries>>();
function walletQueries(db: Db) {
  let q = prepared.get(db);
  if (!q) prepared.set(db, (q = prepareWalletQueries(db)));
  return q;
}

/**
 * A card by serial number with the pass type identifier its merchant signs with now (the uploaded
 * certificate, else the development one), in one query.
 */
export async function findPassIdentity(db: Db, serialNumber: string): Promise<PassIdentity | null> {
  // Serials also come from unsigned callback hints; one with a control character is nobody's.
  if (!isCleanParam(serialNumber)) return null;
  const [r] = await walletQueries(db).identity.execute({ serial: serialNumber });
  return r ? { ...r, updateTag: Number(r.updateTag) } : null;
}

/** The card a request names, only if the pass type and the token are right; otherwise null (401). */
export async function authenticatePass(db: Db, passTypeId: string, serialNumber: string, authorization: string | null): Promise<PassIdentity | null> {
  const token = applePassToken(authorization);
  if (!token) return null;
  const card = await findPassIdentity(db, serialNumber);
  if (!card || card.passTypeId !== passTypeId || !tokenMatches(card.authenticationToken, token)) return null;
  return card;
}

/** Which Apple device asked, from Wallet's User-Agent, for the device-type reports. */
export function appleModel(userAgent: string | null): string {
  const ua = userAgent ?? "";
  if (/Watch/i.test(ua)) return "Apple Watch";
  if (/iPad/i.test(ua)) return "iPad";
  if (/Macintosh|Mac OS X|macOS/i.test(ua)) return "Mac";
  return "iPhone";
}

/**
 * Records that a device holds a card. Idempotent, also under many parallel calls: the unique index
 * decides which call created the registration (→ "created"), the rest find it there. The first
 * registration of a card marks it installed and writes the event.
 */
export async function registerDevice(
  db: Db,
  card: PassIdentity,
  device: { platform: "apple" | "google"; deviceLibraryId: string; passTypeId: string; pushToken: string | null; model: string },
): Promise<"created" | "existing"> {
  return db.transaction(async (tx) => {
    const [dev] = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into wallet_devices (merchant_id, platform, device_library_id, pass_type_id, push_token, model)
        values (${card.merchantId}::uuid, ${device.platform}, ${device.deviceLibraryId}, ${device.passTypeId}, ${device.pushToken}, ${device.model})
        on conflict (device_library_id, pass_type_id, merchant_id, platform)
        do update set push_token = coalesce(excluded.push_token, wallet_devices.push_token), model = excluded.model, updated_at = now()
        returning id`),
    );
    const created = rowsOf(
      await tx.execute(sql`
        insert into wallet_registrations (merchant_id, device_id, card_id) values (${card.merchantId}::uuid, ${dev.id}::uuid, ${card.id}::uuid)
        on conflict (device_id, card_id) do nothing returning id`),
    );
    if (!created.length) return "existing";
    await tx.execute(
      sql`update cards set first_installed_at = coalesce(first_installed_at, now()), updated_at = now() where id = ${card.id}::uuid and merchant_id = ${card.merchantId}::uuid`,
    );
    await refreshCardStatus(tx, card.merchantId, [card.id]);
    await record(tx, { merchantId: card.merchantId, actor: { type: "device", id: dev.id } }, [
      { type: "card.installed", cardId: card.id, data: { platform: device.platform, model: device.model } },
    ]);
    return "created";
  });
}

/**
 * A device no longer holds a card. A device left with no cards is forgotten; a card left in no
 * wallet becomes `removed`.
 */
export async function unregisterDevice(
  db: Db,
  card: PassIdentity,
  device: { platform: "apple" | "google"; deviceLibraryId: string; passTypeId: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = rowsOf<{ device_id: string; model: string }>(
      await tx.execute(sql`
        delete from wallet_registrations r using wallet_devices d
        where r.device_id = d.id and r.card_id = ${card.id}::uuid and r.merchant_id = ${card.merchantId}::uuid
          and d.merchant_id = ${card.merchantId}::uuid and d.platform = ${device.platform}
          and d.device_library_id = ${device.deviceLibraryId} and d.pass_type_id = ${device.passTypeId}
        returning r.device_id, d.model`),
    );
    if (!removed.length) return false;
    const [{ device_id: deviceId, model }] = removed;
    await tx.execute(
      sql`delete from wallet_devices d where d.id = ${deviceId}::uuid and not exists (select 1 from wallet_registrations r where r.device_id = d.id)`,
    );
    await tx.execute(sql`update cards set updated_at = now() where id = ${card.id}::uuid and merchant_id = ${card.merchantId}::uuid`);
    await refreshCardStatus(tx, card.merchantId, [card.id]);
    await record(tx, { merchantId: card.merchantId, actor: { type: "device", id: deviceId } }, [
      { type: "card.removed", cardId: card.id, data: { platform: device.platform, model } },
    ]);
    return true;
  });
}

/**
 * Serial numbers of the passes a device holds that changed after `since` (all of them without it),
 * with the newest tag as `lastUpdated`. The device and its registrations are matched per merchant.
 */
export async function listUpdatedSerials(
  db: Db,
  deviceLibraryId: string,
  passTypeId: string,
  since: number | null,
): Promise<{ serialNumbers: string[]; lastUpdated: string } | null> {
  const q = walletQueries(db);
  const params = { device: deviceLibraryId, passType: passTypeId };
  const rows = since === null ? await q.serialsAll.execute(params) : await q.serialsSince.execute({ ...params, since });
  if (!rows.length) return null;
  let last = 0;
  for (const r of rows) last = Math.max(last, r.updateTag);
  // Wallet needs lastUpdated as a string; a number makes it ignore the answer.
  return { serialNumbers: rows.map((r) => r.serialNumber), lastUpdated: String(last) };
}

/** A tag from passesUpdatedSince: our tags are integers; anything else means "send everything". */
export function parseSinceTag(value: string | null): number | null {
  if (!value || !/^\d{1,16}$/.test(value)) return null;
  return Number(value);
}
