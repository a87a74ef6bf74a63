// The database's limit: a bare node:http server answering the two PassKit calls with the app's SQL
// (lib/wallet/service.ts, lib/passes/apple/signer.ts) through postgres.js with the app's pool size
// and the app's token check. The pass is the pre-built bytes of one card: no signing, no framework.
// For a kept pass it reads what decides the cache key (the card's identity and tag, the merchant's
// signing certificate) and nothing more; the app reading more than that shows as a gap.
// Run by bench/wallet-service.ts; BARE_PREPARE=false sends the statements unnamed, as drizzle does
// by default, to see what named (prepared) statements are worth.
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import postgres from "postgres";

const url = process.env.DATABASE_URL!;
const prepare = process.env.BARE_PREPARE !== "false";
const pkpass = readFileSync(process.env.BARE_PASS_FILE!);
const db = postgres(url, { max: 10, onnotice: () => {} });
const run = <T extends object>(text: string, params: (string | number)[]) => db.unsafe<T[]>(text, params, { prepare });

const LIST = `select c.serial_number, c.update_tag
  from wallet_devices d
  join wallet_registrations r on r.device_id = d.id and r.merchant_id = d.merchant_id
  join cards c on c.id = r.card_id and c.merchant_id = d.merchant_id
  where d.device_library_id = $1 and d.pass_type_id = $2 and d.platform = 'apple'`;
const IDENTITY = `select c.id, c.merchant_id, c.authentication_token, c.update_tag,
    (select mc.pass_type_id from merchant_credentials mc
      where mc.merchant_id = c.merchant_id and mc.kind in ('apple', 'apple_dev')
      order by (mc.kind = 'apple') desc limit 1) as pass_type_id
  from cards c where c.serial_number = $1`;
// getAppleSigner's read: the certificate is part of the pass cache key.
const CREDENTIALS = `select * from merchant_credentials where merchant_id = $1`;

const digest = (s: string) => createHash("sha256").update(s).digest();
const tokenMatches = (expected: string, given: string) => timingSafeEqual(digest(expected), digest(given));

type Identity = { id: string; merchant_id: string; authentication_token: string; update_tag: string; pass_type_id: string | null };

async function list(res: http.ServerResponse, device: string, passType: string, sinceRaw: string | null) {
  const since = sinceRaw && /^\d{1,16}$/.test(sinceRaw) ? Number(sinceRaw) : null;
  const rows = await (since === null
    ? run<{ serial_number: string; update_tag: string }>(LIST, [device, passType])
    : run<{ serial_number: string; update_tag: string }>(`${LIST} and c.update_tag > $3`, [device, passType, since]));
  if (!rows.length) return end(res, 204);
  let last = 0;
  for (const r of rows) last = Math.max(last, Number(r.update_tag));
  const body = JSON.stringify({ serialNumbers: rows.map((r) => r.serial_number), lastUpdated: String(last) });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

async function pass(req: http.IncomingMessage, res: http.ServerResponse, passType: string, serial: string) {
  const token = /^ApplePass\s+(\S+)\s*$/.exec(req.headers.authorization ?? "")?.[1];
  if (!token) return end(res, 401);
  const [card] = await run<Identity>(IDENTITY, [serial]);
  if (!card || card.pass_type_id !== passType || !tokenMatches(card.authentication_token, token)) return end(res, 401);
  const modified = Math.floor(Number(card.update_tag) / 1000) * 1000;
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  const lastModified = new Date(modified).toUTCString();
  if (!Number.isNaN(since) && since >= modified) return void res.writeHead(304, { "last-modified": lastModified }).end();
  await run(CREDENTIALS, [card.merchant_id]);
  res
    .writeHead(200, {
      "content-type": "application/vnd.apple.pkpass",
      "content-length": pkpass.length,
      "last-modified": lastModified,
      "cache-control": "no-cache",
      "x-carddesk-pass": "cached",
    })
    .end(pkpass);
}

function end(res: http.ServerResponse, status: number) {
  res.writeHead(status, { "content-length": 0 }).end();
}

const server = http.createServer((req, res) => {
  const u = new URL(req.url ?? "/", "http://bare");
  const parts = u.pathname.split("/").map(decodeURIComponent);
  // /api/wallet/v1/devices/{device}/registrations/{passType}   /api/wallet/v1/passes/{passType}/{serial}
  let work: Promise<void> | undefined;
  if (req.method === "GET" && parts.length === 8 && parts[4] === "devices" && parts[6] === "registrations")
    work = list(res, parts[5], parts[7], u.searchParams.get("passesUpdatedSince"));
  else if (req.method === "GET" && parts.length === 7 && parts[4] === "passes") work = pass(req, res, parts[5], parts[6]);
  else if (u.pathname === "/api/health") return end(res, 200);
  else return end(res, 404);
  work.catch((err) => {
    console.error(err);
    if (!res.headersSent) end(res, 500);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  void db.end({ timeout: 2 }).then(() => process.exit(0));
});
