// The database's limit for the till's two calls: a bare node:http handler, no framework, no ORM, no
// validation library, running the app's statements word for word (bench/pos/bare-sql.ts) on a
// postgres.js pool of the app's size, each statement prepared once per connection as the app's are.
// It does the app's arithmetic inline for the default points programme and answers small JSON.
// What the app spends beyond this is what our layers cost.
import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import postgres from "postgres";
import {
  DETAIL_SQL,
  EVENTS_SQL,
  EXPIRING_SQL,
  INSERT_MOVEMENT_SQL,
  SPEND_LOTS_SQL,
  FIND_KEY_SQL,
  INSERT_MOVEMENTS_SQL,
  INSERT_TRANSACTION_SQL,
  KEY_SQL,
  RATE_SQL,
  LOCK_SQL,
  SCAN_SQL,
  UPDATE_SQL,
} from "./bare-sql";

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
// `unsafe` does not prepare unless asked; the app's drizzle statements are prepared (db/index.ts), so these are too.
const PREPARED = { prepare: true };
const PROGRAM = { earnPercent: 5, pointValue: 100, maxSharePercent: 100, minBalanceToRedeem: 0 };

type Res = http.ServerResponse;
const send = (res: Res, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
};
const fail = (res: Res, status: number, code: string, data?: unknown) => send(res, status, { error: { code, message: code, data } });

async function authenticate(header: string | undefined) {
  const key = /^Bearer +(\S+)$/i.exec(header ?? "")?.[1];
  if (!key) return null;
  const [row] = await sql.unsafe(KEY_SQL, [createHash("sha256").update(key).digest("hex")], PREPARED).values();
  // Columns by position, as drizzle reads them: 0 key id, 5 scopes, 10 merchant id.
  if (!row || !(row[5] as string[]).some((s) => s === "*" || s === "pos:write")) return null;
  // The app's limit (lib/api/rate-limit): a block of the key's requests in this minute's window, claimed when the last is used up.
  await rateLimit(row[0] as string);
  return { keyId: row[0] as string, merchantId: row[10] as string };
}

const LIMIT = Number(process.env.API_RATE_LIMIT_PER_MINUTE ?? 600);
const BLOCK = Math.max(1, Math.min(50, Math.floor(LIMIT / 40)));
const blocks = new Map<string, { start: number; left: number }>();
async function rateLimit(keyId: string) {
  const start = Math.floor(Date.now() / 60_000) * 60_000;
  let block = blocks.get(keyId);
  if (!block || block.start !== start) blocks.set(keyId, (block = { start, left: 0 }));
  if (block.left === 0) {
    block.left = BLOCK; // claimed before the await, as the app's waiters share one claim
    const windowStart = new Date(start);
    await sql.unsafe(RATE_SQL, [keyId, windowStart, BLOCK, LIMIT, BLOCK, LIMIT, BLOCK, LIMIT, BLOCK, LIMIT], PREPARED);
  }
  block.left--;
}

/** Where a column sits in a statement's select list: the rows are read by position, as drizzle reads them. */
const columnIndex = (statement: string, column: string) => {
  const list = statement.slice(statement.indexOf("select ") + 7, statement.indexOf(" from ")).split(", ");
  const at = list.indexOf(column);
  if (at < 0) throw new Error(`bench: ${column} is not selected`);
  return at;
};
const D = {
  definition: columnIndex(DETAIL_SQL, '"card_template_versions"."definition"'),
  customerId: columnIndex(DETAIL_SQL, '"customers"."id"'),
  name: columnIndex(DETAIL_SQL, '"customers"."name"'),
  phone: columnIndex(DETAIL_SQL, '"customers"."phone"'),
};
const LOCKED_DEFINITION = columnIndex(LOCK_SQL, '"card_template_versions"."definition"');

const program = (definition: { program?: Partial<typeof PROGRAM> } | null) => ({ ...PROGRAM, ...definition?.program });

async function lookup(req: http.IncomingMessage, res: Res, url: URL) {
  const who = await authenticate(req.headers.authorization);
  if (!who) return fail(res, 401, "unauthorized");
  const code = (url.searchParams.get("code") ?? "").trim();
  const amount = Number(url.searchParams.get("amount") ?? NaN);
  const m = who.merchantId;
  const scanned = await sql.unsafe(SCAN_SQL, [m, m, m, code, code, 2], PREPARED).values();
  // The barcode carries the number on the seeded template: column 4 is the number.
  const hit = scanned.find((r) => r[4] === code);
  if (!hit) return fail(res, 404, "card_not_found");
  const [d] = await sql.unsafe(DETAIL_SQL, [m, m, m, m, hit[0]], PREPARED).values();
  if (!d) return fail(res, 404, "card_not_found");
  const p = program(d[D.definition] as never);
  const balance = d[10] as number;
  const expiring = await sql.unsafe(EXPIRING_SQL, [hit[0], 0, 5], PREPARED);
  const maxPoints =
    balance < p.minBalanceToRedeem ? 0 : Number.isNaN(amount) ? balance : Math.min(balance, Math.floor((amount * p.maxSharePercent) / 100 / p.pointValue));
  send(res, 200, {
    card: {
      id: d[0],
      number: d[4],
      serialNumber: d[5],
      status: d[8],
      templateId: d[2],
      values: { balance, discount: d[11], custom: d[13] },
      customer: { id: d[D.customerId], name: d[D.name] },
    },
    holder: { name: d[D.name], phoneMasked: String(d[D.phone]).replace(/\d(?=\d{2})/g, "*") },
    balance,
    level: null,
    discountPercent: d[11],
    redeemable: { maxPoints },
    expiring: expiring.map((r) => ({ points: Number(r.sum), at: r.expires_at })),
  });
}

async function purchase(req: http.IncomingMessage, res: Res, cardId: string, text: string) {
  const who = await authenticate(req.headers.authorization);
  if (!who) return fail(res, 401, "unauthorized");
  const key = req.headers["idempotency-key"];
  if (typeof key !== "string") return fail(res, 400, "bad_request");
  const body = JSON.parse(text) as { type: string; amount?: number; redeemPoints?: number; points?: number; receipt?: string };
  const requestHash = createHash("sha256").update(text).digest("hex");
  const m = who.merchantId;
  try {
    const done = await sql.begin(async (tx) => {
      // The key's earlier transaction and the card's lock in one round trip, as the app asks them (lib/ledger).
      const [[earlier], [card]] = await Promise.all([tx.unsafe(FIND_KEY_SQL, [m, key], PREPARED), tx.unsafe(LOCK_SQL, [m, m, cardId, m], PREPARED).values()]);
      if (earlier) return { status: 201, body: earlier };
      if (!card) return { status: 404, body: { error: { code: "not_found" } } };
      const balance = card[10] as number;
      const p = program(card[LOCKED_DEFINITION] as never);
      const purchaseTotal = Number(card[12]) + (body.type === "purchase" ? body.amount! : 0);
      let redeemed: number, accrued: number, amount: number | null;
      if (body.type === "redeem") {
        if (body.points! > balance) return { status: 409, body: { error: { code: "insufficient_balance", data: { balance } } } };
        [redeemed, accrued, amount] = [body.points!, 0, null];
      } else {
        redeemed = body.redeemPoints ?? 0;
        amount = body.amount!;
        if (redeemed > balance) return { status: 409, body: { error: { code: "insufficient_balance", data: { balance } } } };
        accrued = Math.floor((Math.max(0, amount - redeemed * p.pointValue) * p.earnPercent) / (100 * p.pointValue));
      }
      const moves = [-redeemed, accrued].filter((x) => x !== 0);
      let after = balance;
      const afters = moves.map((x) => (after += x));
      // The app's writes go together, in one round trip (lib/ledger/write.ts), so these do too.
      const id = randomUUID();
      const writes: Promise<unknown>[] = [tx.unsafe(UPDATE_SQL, [after, null, purchaseTotal, cardId, m], PREPARED)];
      const inserted = tx.unsafe(
        INSERT_TRANSACTION_SQL,
        [
          id,
          m,
          cardId,
          body.type,
          after - balance,
          accrued,
          redeemed,
          amount,
          0,
          after,
          body.receipt ?? null,
          null,
          null,
          null,
          "api",
          who.keyId,
          key,
          requestHash,
          null,
        ],
        PREPARED,
      );
      writes.push(inserted);
      // The app's purchase always has both movements here (the seeded balances cover the redemption).
      // A purchase: the redemption, then the accrual as a lot that never expires (the default programme); a redemption: one movement.
      if (moves.length === 2)
        writes.push(tx.unsafe(INSERT_MOVEMENTS_SQL, [id, cardId, moves[0], afters[0], id, cardId, moves[1], afters[1], moves[1], null], PREPARED));
      else writes.push(tx.unsafe(INSERT_MOVEMENT_SQL, [id, cardId, moves[0], afters[0]], PREPARED));
      // The redeemed points come out of the card's lots, the purchase's own lot last.
      if (redeemed) writes.push(tx.unsafe(SPEND_LOTS_SQL, [null, id, cardId, redeemed, redeemed, redeemed], PREPARED));
      const data = { transactionId: id, balance: after, ...(body.receipt && { receipt: body.receipt }) };
      const events = [
        ...(redeemed ? [{ id: randomUUID(), card_id: cardId, type: "points.redeemed", data: { ...data, points: redeemed } }] : []),
        ...(accrued ? [{ id: randomUUID(), card_id: cardId, type: "points.accrued", data: { ...data, points: accrued } }] : []),
      ];
      // The events as the app's door sends them (ids, cards, types, each data once), with the wallet queue,
      // the webhooks' probe and the reports' inbox riding along.
      const ids = `{${events.map((e) => e.id).join(",")}}`;
      const types = `{${events.map((e) => e.type).join(",")}}`;
      // postgres.js sends a jsonb parameter as the JSON of the value: the same bytes as the app's text.
      const datas = events.map((e) => e.data);
      const dataAt = `{${events.map((_, i) => i + 1).join(",")}}`;
      const cardIds = `{${events.map(() => cardId).join(",")}}`;
      writes.push(
        tx.unsafe(
          EVENTS_SQL,
          [m, "api", who.keyId, ids, cardIds, types, dataAt, datas as never, 3, m, [cardId] as never, m, ids, m, "{}", `{${cardId}}`],
          PREPARED,
        ),
      );
      await Promise.all(writes);
      const [t] = await inserted;
      return {
        status: 201,
        body: {
          id: t.id,
          type: t.type,
          status: t.status,
          points: t.points,
          accrued,
          redeemed,
          balanceAfter: after,
          cardId,
          receipt: t.receipt,
          createdAt: t.created_at,
        },
      };
    });
    send(res, done.status, done.body);
  } catch (err) {
    // A racing twin with the same key lost on the unique index: answer the winner's transaction.
    if ((err as { code?: string }).code === "23505") {
      const [winner] = await sql.unsafe(FIND_KEY_SQL, [m, key], PREPARED);
      if (winner) return send(res, 201, winner);
    }
    throw err;
  }
}

const TRANSACTIONS = /^\/api\/v1\/cards\/([0-9a-f-]{36})\/transactions$/;

http
  .createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const route = TRANSACTIONS.exec(url.pathname);
      const work =
        url.pathname === "/api/health"
          ? Promise.resolve(send(res, 200, { ok: true }))
          : url.pathname === "/api/v1/pos/lookup" && req.method === "GET"
            ? lookup(req, res, url)
            : route && req.method === "POST"
              ? purchase(req, res, route[1], Buffer.concat(chunks).toString())
              : Promise.resolve(fail(res, 404, "not_found"));
      work.catch((err: unknown) => {
        console.error(err);
        if (!res.headersSent) fail(res, 500, "internal");
      });
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1");

// Exits on the bench's SIGTERM rather than dying of it, so a CPU profile (--cpu-prof) gets written.
process.on("SIGTERM", () => process.exit(0));
