import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, walletDevices, walletLogs, walletRegistrations, walletUpdates } from "@/db/schema";
import { getCardOrThrow, issueCard, updateCardValues } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { getAppleSigner } from "@/lib/passes/apple/signer";
import { parseServiceAccount, saveGoogleIssuer } from "@/lib/wallet/google/account";
import { createTemplate } from "@/lib/templates";
import { issueCardSchema } from "@/lib/validations/cards";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { handleGoogleCallback } from "@/lib/wallet/google/callback";
import { WALLET_LOG_POSTS_PER_IP } from "@/lib/wallet/logs";
import { createTestMerchant, uniquePhone } from "../factories";
import { readBody } from "../support/google-wallet-stand-in";
import { createGoogleCallbackSigner } from "../support/google-callback-signer";
import { apnsStandInForFile, makeDue } from "../support/push";

const registration = await import("@/app/api/wallet/v1/devices/[deviceLibraryIdentifier]/registrations/[passTypeIdentifier]/[serialNumber]/route");
const list = await import("@/app/api/wallet/v1/devices/[deviceLibraryIdentifier]/registrations/[passTypeIdentifier]/route");
const passes = await import("@/app/api/wallet/v1/passes/[passTypeIdentifier]/[serialNumber]/route");
const logRoute = await import("@/app/api/wallet/v1/log/route");

const base = "http://localhost/api/wallet/v1";

const postLog = (body: string, ip = "192.0.2.1") =>
  logRoute.POST(new Request(`${base}/log`, { method: "POST", body, headers: { "x-forwarded-for": ip } }), { params: Promise.resolve({}) });
const logsOf = async (merchantId: string) => (await getDb().select().from(walletLogs).where(eq(walletLogs.merchantId, merchantId))).map((l) => l.message);

async function walletCard() {
  const m = await createTestMerchant();
  const template = await createTemplate(getDb(), m.actor, { name: "Coffee", kind: "loyalty" });
  const card = await issueCard(
    getDb(),
    m.merchant.id,
    staffActor(m.owner.id),
    issueCardSchema("RU").parse({ templateId: template.id, customer: { phone: uniquePhone(), name: "Anna" } }),
  );
  const { passTypeId } = await getAppleSigner(getDb(), m.merchant.id);
  return { m, card, passTypeId, auth: `ApplePass ${card.authenticationToken}` };
}

type W = Awaited<ReturnType<typeof walletCard>>;

/** APNs device tokens are hex; each test device gets its own. */
const tokenOf = (device: string) => Buffer.from(device).toString("hex");

const register = (w: W, device: string, opts: { auth?: string | null; body?: unknown; passTypeId?: string; serial?: string; userAgent?: string } = {}) => {
  const p = { deviceLibraryIdentifier: device, passTypeIdentifier: opts.passTypeId ?? w.passTypeId, serialNumber: opts.serial ?? w.card.serialNumber };
  const headers: Record<string, string> = { "content-type": "application/json" };
  const auth = opts.auth === undefined ? w.auth : opts.auth;
  if (auth) headers.authorization = auth;
  if (opts.userAgent) headers["user-agent"] = opts.userAgent;
  const body = opts.body === undefined ? { pushToken: tokenOf(device) } : opts.body;
  return {
    post: () =>
      registration.POST(
        new Request(`${base}/devices/${device}/registrations/${p.passTypeIdentifier}/${p.serialNumber}`, {
          method: "POST",
          headers,
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
        { params: Promise.resolve(p) },
      ),
    del: () =>
      registration.DELETE(new Request(`${base}/devices/${device}/registrations/${p.passTypeIdentifier}/${p.serialNumber}`, { method: "DELETE", headers }), {
        params: Promise.resolve(p),
      }),
  };
};

const listFor = (w: W, device: string, since?: string) =>
  list.GET(new Request(`${base}/devices/${device}/registrations/${w.passTypeId}${since === undefined ? "" : `?passesUpdatedSince=${since}`}`), {
    params: Promise.resolve({ deviceLibraryIdentifier: device, passTypeIdentifier: w.passTypeId }),
  });

const latest = (w: W, headers: Record<string, string> = { authorization: w.auth }) =>
  passes.GET(new Request(`${base}/passes/${w.passTypeId}/${w.card.serialNumber}`, { headers }), {
    params: Promise.resolve({ passTypeIdentifier: w.passTypeId, serialNumber: w.card.serialNumber }),
  });

const devicesOf = (cardId: string) => getDb().select().from(walletRegistrations).where(eq(walletRegistrations.cardId, cardId));
const eventTypes = async (cardId: string) =>
  (await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, cardId)).orderBy(cardEvents.createdAt)).map((e) => e.type);

describe("PassKit web service", () => {
  it("registers a device (201, then 200), lists its pass, serves the pass with Last-Modified and 304, and unregisters", async () => {
    const w = await walletCard();
    expect((await register(w, "dev-a", { userAgent: "PassKit/1.0 (iPad; iOS 17.1)" }).post()).status).toBe(201);
    expect((await register(w, "dev-a").post()).status).toBe(200);
    const { card } = await getCardOrThrow(getDb(), w.m.merchant.id, w.card.id);
    expect(card.status).toBe("installed");

    const listed = await listFor(w, "dev-a");
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { serialNumbers: string[]; lastUpdated: string };
    expect(body).toEqual({ serialNumbers: [w.card.serialNumber], lastUpdated: String(card.updateTag) });
    expect((await listFor(w, "dev-a", body.lastUpdated)).status).toBe(204);
    expect((await listFor(w, "unknown-device")).status).toBe(204);

    const first = await latest(w);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/vnd.apple.pkpass");
    const lastModified = first.headers.get("last-modified")!;
    const zip = await JSZip.loadAsync(Buffer.from(await first.arrayBuffer()));
    expect(JSON.parse(await zip.file("pass.json")!.async("string"))).toMatchObject({
      serialNumber: w.card.serialNumber,
      authenticationToken: w.card.authenticationToken,
      passTypeIdentifier: w.passTypeId,
    });
    expect((await latest(w, { authorization: w.auth, "if-modified-since": lastModified })).status).toBe(304);
    // Unchanged: the second full answer comes from the kept build, byte for byte.
    const again = await latest(w);
    expect(again.headers.get("x-carddesk-pass")).toBe("cached");

    await updateCardValues(getDb(), w.m.merchant.id, staffActor(w.m.owner.id), w.card.id, { balance: 500 });
    const changed = await listFor(w, "dev-a", body.lastUpdated);
    expect(((await changed.json()) as { serialNumbers: string[] }).serialNumbers).toEqual([w.card.serialNumber]);
    const fresh = await latest(w, { authorization: w.auth, "if-modified-since": lastModified });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("x-carddesk-pass")).toBe("built");

    expect((await register(w, "dev-a").del()).status).toBe(200);
    expect(await devicesOf(w.card.id)).toEqual([]);
    expect(await getDb().select().from(walletDevices).where(eq(walletDevices.deviceLibraryId, "dev-a"))).toEqual([]);
    expect((await getCardOrThrow(getDb(), w.m.merchant.id, w.card.id)).card.status).toBe("removed");
    const [installed] = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.type, "card.installed"), eq(cardEvents.cardId, w.card.id)));
    expect(installed.data).toEqual({ platform: "apple", model: "iPad" });
    expect(await eventTypes(w.card.id)).toEqual(["card.issued", "card.installed", "points.adjusted", "card.removed"]);
  });

  const refusals: [string, { auth?: string | null; passTypeId?: string; serial?: string }][] = [
    ["no Authorization header", { auth: null }],
    ["a wrong token", { auth: "ApplePass wrong-token-0123456789" }],
    ["another scheme", { auth: "Bearer x" }],
    ["another pass type", { passTypeId: "pass.other.type" }],
    ["an unknown serial", { serial: "no-such-serial" }],
  ];
  it.each(refusals)("refuses %s with 401 and changes nothing", async (_what, opts) => {
    const w = await walletCard();
    const call = register(w, "dev-401", opts);
    expect((await call.post()).status).toBe(401);
    expect((await call.del()).status).toBe(401);
    expect(await devicesOf(w.card.id)).toEqual([]);
    expect(await getDb().select().from(walletDevices).where(eq(walletDevices.deviceLibraryId, "dev-401"))).toEqual([]);
    expect(await eventTypes(w.card.id)).toEqual(["card.issued"]);
    const passTypeId = opts.passTypeId ?? w.passTypeId;
    const serialNumber = opts.serial ?? w.card.serialNumber;
    const auth = opts.auth === undefined ? w.auth : opts.auth;
    const pass = await passes.GET(new Request(`${base}/passes/${passTypeId}/${serialNumber}`, { headers: auth ? { authorization: auth } : {} }), {
      params: Promise.resolve({ passTypeIdentifier: passTypeId, serialNumber }),
    });
    expect(pass.status).toBe(401);
  });

  it("refuses a registration without a push token with 400", async () => {
    const w = await walletCard();
    expect((await register(w, "dev-b", { body: {} }).post()).status).toBe(400);
    expect((await register(w, "dev-b", { body: "not json" }).post()).status).toBe(400);
    expect(await devicesOf(w.card.id)).toEqual([]);
  });

  it("is idempotent under many parallel registrations: one 201, one registration, one event", async () => {
    const w = await walletCard();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        register(w, "dev-par")
          .post()
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(11);
    expect(await devicesOf(w.card.id)).toHaveLength(1);
    expect((await eventTypes(w.card.id)).filter((e) => e === "card.installed")).toHaveLength(1);
  });

  it("answers the log as Next calls it, with no params for a route without path segments", async () => {
    const call = logRoute.POST as unknown as (request: Request, context: object) => Promise<Response>;
    expect(
      (await call(new Request(`${base}/log`, { method: "POST", body: JSON.stringify({ logs: ["noise"] }), headers: { "x-forwarded-for": "192.0.2.77" } }), {}))
        .status,
    ).toBe(200);
  });

  it("keeps log lines for the merchant whose card they name, and drops the rest", async () => {
    const w = await walletCard();
    const line = `[2026-11-23] Get pass task (pass type ${w.passTypeId}, serial number ${w.card.serialNumber}) encountered error: Unexpected response code 500`;
    expect((await postLog(JSON.stringify({ logs: [line, "unrelated noise"] }))).status).toBe(200);
    expect((await postLog("{")).status).toBe(400);
    expect(await logsOf(w.m.merchant.id)).toEqual([line]);
  });

  it("a log line goes to the merchant owning the serial number it names, never to every holder of the pass type", async () => {
    const a = await walletCard();
    const b = await walletCard();
    // B holds A's pass type id too (as two merchants could before uploads were checked).
    await getDb().execute(
      sql`update merchant_credentials set pass_type_id = ${a.passTypeId} where merchant_id = ${b.m.merchant.id}::uuid and kind = 'apple_dev'`,
    );

    const aLine = `Register task (for device x, pass type ${a.passTypeId}, serial number ${a.card.serialNumber}; with web service url ${base}) encountered error: Unexpected response code 401`;
    const bLine = `Get pass task (pass type ${a.passTypeId}, serial number ${b.card.serialNumber}, if-modified-since (null)) encountered error: 500`;
    const wrongType = `Get pass task (pass type pass.com.someone.else, serial number ${a.card.serialNumber}) encountered error: 500`;
    const sharedTypeOnly = `Web service error for ${a.passTypeId} (${base}): Response to 'What changed?' request included 1 serial numbers but the lastUpdated tag (1) remained the same.`;
    expect((await postLog(JSON.stringify({ logs: [aLine, bLine, wrongType, sharedTypeOnly] }))).status).toBe(200);
    expect(await logsOf(a.m.merchant.id)).toEqual([aLine]);
    expect(await logsOf(b.m.merchant.id)).toEqual([bLine]);

    // A line naming only a pass type reaches its one holder.
    const c = await walletCard();
    const cTypeOnly = `Web service error for ${c.passTypeId} (${base}): Server returned 500`;
    await postLog(JSON.stringify({ logs: [cTypeOnly] }));
    expect(await logsOf(c.m.merchant.id)).toEqual([cTypeOnly]);
  });

  it("log posts are rate-limited per address", async () => {
    const w = await walletCard();
    const line = `Get pass task (pass type ${w.passTypeId}, serial number ${w.card.serialNumber}) encountered error: 500`;
    const body = JSON.stringify({ logs: [line] });
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const statuses: number[] = [];
    for (let i = 0; i < WALLET_LOG_POSTS_PER_IP + 3; i++) statuses.push((await postLog(body, ip)).status);
    expect(statuses.slice(0, WALLET_LOG_POSTS_PER_IP).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(WALLET_LOG_POSTS_PER_IP)).toEqual([429, 429, 429]);
    expect(await logsOf(w.m.merchant.id)).toHaveLength(WALLET_LOG_POSTS_PER_IP);
    expect((await postLog(body, "192.0.2.200")).status).toBe(200);
  });
});

describe("wallet updates", () => {
  const apns = apnsStandInForFile();

  it("several changes within the window make one push per device, with the pass type as topic; then the queue is empty", async () => {
    const w = await walletCard();
    await register(w, "dev-push-1").post();
    await register(w, "dev-push-2").post();
    const actor = staffActor(w.m.owner.id);
    for (const balance of [10, 20, 30]) await updateCardValues(getDb(), w.m.merchant.id, actor, w.card.id, { balance });
    const before = apns().received.length;
    await makeDue();
    const stats = await drainWalletUpdates(getDb(), { apnsUrl: apns().url });
    expect(stats).toMatchObject({ pushes: 2, retries: 0 });
    const mine = apns().received.slice(before);
    expect(mine.map((r) => r.token).sort()).toEqual([tokenOf("dev-push-1"), tokenOf("dev-push-2")].sort());
    expect(mine.every((r) => r.topic === w.passTypeId && r.body === "{}")).toBe(true);
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, w.card.id))).toEqual([]);
    expect(await eventTypes(w.card.id)).toContain("wallet.push_sent");
  });

  it("a 410 or BadDeviceToken forgets the device and its registration; a 429 keeps the update for a retry with backoff", async () => {
    const w = await walletCard();
    await register(w, "dev-gone").post();
    await register(w, "dev-bad").post();
    await register(w, "dev-busy").post();
    apns().respond(tokenOf("dev-gone"), { status: 410, reason: "Unregistered" });
    apns().respond(tokenOf("dev-bad"), { status: 400, reason: "BadDeviceToken" });
    apns().respond(tokenOf("dev-busy"), { status: 429, reason: "TooManyRequests" });
    await updateCardValues(getDb(), w.m.merchant.id, staffActor(w.m.owner.id), w.card.id, { balance: 7 });
    await makeDue();
    const stats = await drainWalletUpdates(getDb(), { apnsUrl: apns().url });
    expect(stats).toMatchObject({ removedDevices: 2, retries: 1 });
    const left = await getDb()
      .select({ id: walletDevices.deviceLibraryId })
      .from(walletRegistrations)
      .innerJoin(walletDevices, eq(walletDevices.id, walletRegistrations.deviceId))
      .where(eq(walletRegistrations.cardId, w.card.id));
    expect(left.map((l) => l.id)).toEqual(["dev-busy"]);
    const [queued] = await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, w.card.id));
    expect(queued).toMatchObject({ attempts: 1, lastError: expect.stringContaining("TooManyRequests") });
    expect(queued.dueAt.getTime()).toBeGreaterThan(Date.now());
    expect((await eventTypes(w.card.id)).filter((e) => e === "card.removed")).toHaveLength(2);
    expect((await getCardOrThrow(getDb(), w.m.merchant.id, w.card.id)).card.status).toBe("installed");

    apns().respond(tokenOf("dev-busy"), 200);
    await makeDue();
    expect(await drainWalletUpdates(getDb(), { apnsUrl: apns().url })).toMatchObject({ pushes: 1, retries: 0 });
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, w.card.id))).toEqual([]);
  });
});

describe("Google Wallet", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const account = {
    type: "service_account",
    client_email: "wallet@issuer.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
  const signer = createGoogleCallbackSigner();
  const objects: { method: string; path: string; body: Record<string, unknown> }[] = [];
  let baseUrl = "";
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.url === "/token") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "t", expires_in: 3600 }));
    objects.push({ method: req.method ?? "", path: req.url ?? "", body: body ? JSON.parse(body) : {} });
    // Google has no object until the first insert.
    if (req.method === "PATCH" && !objects.some((o) => o.method === "POST" && req.url?.includes(String(o.body.id)))) return res.writeHead(404).end("{}");
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function googleCard() {
    const w = await walletCard();
    const issuerId = `33880000${String(Date.now()).slice(-9)}${Math.floor(Math.random() * 10)}`;
    await saveGoogleIssuer(getDb(), w.m.actor, parseServiceAccount(JSON.stringify(account), issuerId));
    const message = { classId: `${issuerId}.${w.card.templateId}`, objectId: `${issuerId}.${w.card.serialNumber}` };
    return { ...w, issuerId, message };
  }

  it("a verified save marks the card installed on Android; a delete marks it removed; a forged one changes nothing", async () => {
    const g = await googleCard();
    const rootKeys = signer.rootKeysJson.keys;
    expect(
      await handleGoogleCallback(getDb(), JSON.stringify(signer.sign({ ...g.message, eventType: "save" }, { recipientId: g.issuerId, tamper: "message" })), {
        rootKeys,
      }),
    ).toBe("refused");
    expect(await devicesOf(g.card.id)).toEqual([]);
    expect(await handleGoogleCallback(getDb(), JSON.stringify(signer.sign({ ...g.message, eventType: "save" })), { rootKeys })).toBe("saved");
    expect(await handleGoogleCallback(getDb(), JSON.stringify(signer.sign({ ...g.message, eventType: "save" })), { rootKeys })).toBe("unchanged");
    const { card } = await getCardOrThrow(getDb(), g.m.merchant.id, g.card.id);
    expect(card.status).toBe("installed");
    const [device] = await getDb().select().from(walletDevices).where(eq(walletDevices.deviceLibraryId, g.message.objectId));
    expect(device).toMatchObject({ platform: "google", model: "Android", merchantId: g.m.merchant.id });
    expect(await handleGoogleCallback(getDb(), JSON.stringify(signer.sign({ ...g.message, eventType: "del" })), { rootKeys })).toBe("deleted");
    expect((await getCardOrThrow(getDb(), g.m.merchant.id, g.card.id)).card.status).toBe("removed");
    expect(await handleGoogleCallback(getDb(), "{nope", { rootKeys })).toBe("malformed");
    expect(
      await handleGoogleCallback(
        getDb(),
        JSON.stringify(signer.sign({ classId: `${g.issuerId}.x`, objectId: `${g.issuerId}.no-such-card`, eventType: "save" })),
        { rootKeys },
      ),
    ).toBe("unknown");
  });

  it("a change to a card saved in Google Wallet patches its object (inserting it when Google has none)", async () => {
    const g = await googleCard();
    await handleGoogleCallback(getDb(), JSON.stringify(signer.sign({ ...g.message, eventType: "save" })), { rootKeys: signer.rootKeysJson.keys });
    await updateCardValues(getDb(), g.m.merchant.id, staffActor(g.m.owner.id), g.card.id, { balance: 321 });
    await makeDue();
    const before = objects.length;
    const stats = await drainWalletUpdates(getDb(), { google: { baseUrl, tokenUrl: `${baseUrl}/token` } });
    expect(stats.googleUpdates).toBe(1);
    const calls = objects.slice(before);
    expect(calls.map((c) => c.method)).toEqual(["PATCH", "POST"]);
    expect(calls[1].path).toBe("/walletobjects/v1/loyaltyObject");
    expect(calls[1].body).toMatchObject({ id: g.message.objectId, classId: g.message.classId, loyaltyPoints: { balance: { string: "321" } } });
  });
});
