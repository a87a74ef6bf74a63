import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLog, cardEvents, cards, ledgerTransactions, merchantNotifications, outboxMessages, tillCodes } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { englishMessages, type Translate } from "@/lib/api/messages";
import { getEnv } from "@/lib/env";
import { saveSmsSettings } from "@/lib/messaging/settings";
import { openCodeSecret } from "@/lib/outbox";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM } from "@/lib/templates/definition";
import { createTill, saveTillRules, DEFAULT_TILL_RULES } from "@/lib/till/tills";
import { POST as postTx } from "@/app/api/v1/cards/[id]/transactions/route";
import { POST as confirmTx } from "@/app/api/v1/transactions/[id]/confirm/route";
import { POST as cancelTx } from "@/app/api/v1/transactions/[id]/cancel/route";
import { POST as reverseTx } from "@/app/api/v1/transactions/[id]/reverse/route";
import { cancelConfirmation, confirmTransaction } from "@/lib/till/confirm";
import { postAtTill, type TillContext } from "@/lib/till/post";
import { callApi } from "../support/api-call";
import { createTestCard, createTestMerchant, createTestTemplate, uniquePhone, type TestMerchant } from "../factories";

/** Tills, guard rails and confirmation codes through the POS API (contract: exact status and body). */

let t: Translate;
let n = 0;
const idem = () => ({ "idempotency-key": `till-${Date.now()}-${n++}` });

async function templateWith(m: TestMerchant, name: string, confirm?: { mode: "off" | "on" | "above"; above: number }) {
  const template = await createTestTemplate(m, { name });
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name, definition: { ...version.definition, program: { ...DEFAULT_POINTS_PROGRAM, confirm } } });
  return template;
}

async function balanceOf(id: string) {
  const [row] = await getDb().select({ balance: cards.balance }).from(cards).where(eq(cards.id, id));
  return row.balance;
}

/** The code as the customer got it: the sealed text the provider was handed. */
async function lastCodeTo(phone: string, merchantId: string): Promise<string> {
  const [row] = await getDb()
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.recipient, phone), eq(outboxMessages.merchantId, merchantId)))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(1);
  return /\d{6}/.exec(openCodeSecret(row)?.body ?? "")?.[0] ?? "";
}

const s = {} as { m: TestMerchant; key: string; skipKey: string; tillId: string; plain: { id: string }; confirm: { id: string }; bKey: string };

beforeAll(async () => {
  t = await englishMessages();
  const db = getDb();
  s.m = await createTestMerchant();
  s.plain = await templateWith(s.m, "Plain");
  s.confirm = await templateWith(s.m, "Confirmed", { mode: "above", above: 100 });
  const till = await createTill(db, s.m.actor, { name: "Till 1" });
  s.key = till.key;
  s.tillId = till.till.id;
  s.skipKey = (await createTill(db, s.m.actor, { name: "Till 2", scopes: ["pos:write", "pos:skip_confirmation"] })).key;
  const b = await createTestMerchant();
  s.bKey = (await createApiKey(db, b.actor, { name: "B", scopes: ["*"] })).key;
});

const post = (key: string, cardId: string, body: unknown, headers: Record<string, string> = idem()) =>
  callApi(postTx, key, { method: "POST", params: { id: cardId }, body, headers });
const confirm = (key: string, id: string, code: string) => callApi(confirmTx, key, { method: "POST", params: { id }, body: { code } });

describe("tills", () => {
  it("a transaction made with a till's key records the till", async () => {
    const { card } = await createTestCard(s.m, { template: s.plain, balance: 100 });
    const res = await post(s.key, card.id, { type: "accrue", points: 10 });
    expect(res.status).toBe(201);
    const [row] = await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.id, res.body.id));
    expect(row.tillId).toBe(s.tillId);
    // So does its reversal made with that key.
    const back = await callApi(reverseTx, s.key, { method: "POST", params: { id: res.body.id }, body: { points: 4 }, headers: idem() });
    expect(back.status).toBe(201);
    const [reversal] = await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.id, back.body.id));
    expect(reversal).toMatchObject({ type: "reversal", reversesId: res.body.id, tillId: s.tillId });
  });
});

describe("guard rails", () => {
  it("refuses over the per-card daily limit with 409 limit_exceeded and tells the owners", async () => {
    await saveTillRules(getDb(), s.m.actor, { ...DEFAULT_TILL_RULES, redeemPerCardPerDay: 300 });
    const { card } = await createTestCard(s.m, { template: s.plain, balance: 1000 });
    expect((await post(s.key, card.id, { type: "redeem", points: 200 })).status).toBe(201);
    const res = await post(s.key, card.id, { type: "redeem", points: 200 });
    expect(res).toMatchObject({
      status: 409,
      body: {
        error: {
          code: "limit_exceeded",
          message: t("till.errors.limit.card_day", { max: 300, used: 200 }),
          data: { limit: "card_day", max: 300, used: 200, requested: 200 },
        },
      },
    });
    expect(await balanceOf(card.id)).toBe(800);
    // Accruals are never limited.
    expect((await post(s.key, card.id, { type: "accrue", points: 5 })).status).toBe(201);
    const notes = await getDb().select().from(merchantNotifications).where(eq(merchantNotifications.merchantId, s.m.merchant.id));
    expect(notes.some((x) => x.kind === "tillLimitExceeded" && x.params.limit === "card_day" && x.params.till === "Till 1")).toBe(true);
  });

  it("refuses over the per-till hourly limit, counting every card the till served", async () => {
    await saveTillRules(getDb(), s.m.actor, { ...DEFAULT_TILL_RULES, redeemPerTillPerHour: 250 });
    const { card } = await createTestCard(s.m, { template: s.plain, balance: 1000 });
    // 200 already redeemed at this till in the test above.
    const res = await post(s.key, card.id, { type: "purchase", amount: 100_000, redeemPoints: 100 });
    expect(res.status).toBe(409);
    expect(res.body.error.data).toEqual({ limit: "till_hour", max: 250, used: 200, requested: 100 });
    // Another till has its own hour.
    expect((await post(s.skipKey, card.id, { type: "redeem", points: 100 })).status).toBe(201);
    await saveTillRules(getDb(), s.m.actor, DEFAULT_TILL_RULES);
  });
});

describe("confirmation before spending", () => {
  it("sends at most five codes an hour to one card's holder; the sixth request is refused with 429 and sends nothing", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000, phone });
    for (let i = 0; i < 5; i++) expect((await post(s.key, card.id, { type: "redeem", points: 150 + i })).status).toBe(202);
    const sixth = await post(s.key, card.id, { type: "redeem", points: 200 });
    expect(sixth).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(5);
    expect(await balanceOf(card.id)).toBe(1000);
  });

  it("202 with the pending confirmation; nothing moves; a wrong code uses a try; the right one completes it with the same id", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000, phone });
    const headers = idem();
    const res = await post(s.key, card.id, { type: "purchase", amount: 50_000, redeemPoints: 150 }, headers);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      status: "awaiting_confirmation",
      confirmation: { channel: "sms", expiresAt: expect.any(String), phoneMasked: expect.stringMatching(/^\+\d+\*+\d\d$/) },
    });
    const expires = new Date(res.body.confirmation.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan(4 * 60_000);
    expect(expires).toBeLessThanOrEqual(5 * 60_000);
    expect(await balanceOf(card.id)).toBe(1000);
    // The same request again: the same pending confirmation, no second SMS.
    const again = await post(s.key, card.id, { type: "purchase", amount: 50_000, redeemPoints: 150 }, headers);
    expect(again).toMatchObject({ status: 202, body: { id: res.body.id } });
    const sms = await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone));
    expect(sms).toHaveLength(1);
    // Staff see the message masked; the code is stored only as an HMAC.
    const code = await lastCodeTo(phone, s.m.merchant.id);
    expect(code).toMatch(/^\d{6}$/);
    expect(sms[0].body).not.toContain(code);
    const [row] = await getDb().select().from(tillCodes).where(eq(tillCodes.id, res.body.id));
    expect(JSON.stringify(row)).not.toContain(code);

    const wrong = code === "000000" ? "000001" : "000000";
    expect(await confirm(s.key, res.body.id, wrong)).toEqual({
      status: 422,
      headers: expect.anything(),
      body: { error: { code: "code_invalid", message: t("till.errors.codeInvalid", { triesLeft: 4 }), data: { triesLeft: 4 } } },
    });
    const done = await confirm(s.key, res.body.id, code);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: res.body.id, type: "purchase", status: "completed", redeemed: 150, cardId: card.id });
    expect(await balanceOf(card.id)).toBe(1000 - 150 + done.body.accrued);
    // Confirming twice answers the same transaction and moves nothing more.
    const twice = await confirm(s.key, res.body.id, code);
    expect(twice).toMatchObject({ status: 200, body: { id: res.body.id } });
    expect(await balanceOf(card.id)).toBe(1000 - 150 + done.body.accrued);
  });

  it("the same key with another body or card while a confirmation is pending is the API's 409 conflict, and sends nothing", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000, phone });
    const { card: other } = await createTestCard(s.m, { template: s.confirm, balance: 1000 });
    const headers = idem();
    const first = await post(s.key, card.id, { type: "redeem", points: 500 }, headers);
    expect(first.status).toBe(202);
    const conflict = { status: 409, body: { error: { code: "conflict", message: t("api.errors.idempotencyMismatch") } } };
    expect(await post(s.key, card.id, { type: "redeem", points: 900 }, headers)).toMatchObject(conflict);
    expect(await post(s.key, other.id, { type: "redeem", points: 500 }, headers)).toMatchObject(conflict);
    // Also a request that needs no code: an accrual, a redemption under the threshold. Nothing moves.
    expect(await post(s.key, card.id, { type: "accrue", points: 10 }, headers)).toMatchObject(conflict);
    expect(await post(s.key, card.id, { type: "redeem", points: 50 }, headers)).toMatchObject(conflict);
    expect(await balanceOf(card.id)).toBe(1000);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(1);
    // The same body in another key order is the same request.
    expect(await post(s.key, card.id, { points: 500, type: "redeem" }, headers)).toMatchObject({ status: 202, body: { id: first.body.id } });
  });

  it("requests racing in with one new key send one code and answer one confirmation; for two cards at once, one is the key's conflict", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000, phone });
    const headers = idem();
    const twins = await Promise.all([0, 1, 2, 3].map(() => post(s.key, card.id, { type: "redeem", points: 500 }, headers)));
    expect(twins.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(twins.map((r) => r.body.id)).size).toBe(1);
    expect(twins.every((r) => r.body.confirmation.channel === "sms")).toBe(true);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(1);
    // The one code confirms it.
    expect(await confirm(s.key, twins[0].body.id, await lastCodeTo(phone, s.m.merchant.id))).toMatchObject({ status: 200, body: { redeemed: 500 } });

    const phones = [uniquePhone(), uniquePhone()];
    const pair = await Promise.all(phones.map((p) => createTestCard(s.m, { template: s.confirm, balance: 1000, phone: p })));
    const shared = idem();
    const raced = await Promise.all(pair.map(({ card: c }) => post(s.key, c.id, { type: "redeem", points: 500 }, shared)));
    expect(raced.map((r) => r.status).sort()).toEqual([202, 409]);
    const sent = await Promise.all(phones.map(async (p) => (await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, p))).length));
    expect(sent.sort()).toEqual([0, 1]);
  });

  it("a cancel racing a right code: either the cancel wins and nothing moves, or the post wins and the cancel is refused", async () => {
    const db = getDb();
    const ctx: TillContext = {
      merchantId: s.m.merchant.id,
      actor: { type: "staff", userId: s.m.owner.id },
      till: null,
      settings: null,
      timeZone: "Europe/Moscow",
      maySkip: false,
    };
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000, phone });

    // The cancel lands after the code was checked, before the post: the post is refused, the cancel stands.
    const first = await post(s.key, card.id, { type: "redeem", points: 500 });
    const firstCode = await lastCodeTo(phone, s.m.merchant.id);
    const cancelledFirst = confirmTransaction(db, ctx, first.body.id, firstCode, async (request, id) => {
      expect(await cancelConfirmation(db, s.m.merchant.id, id)).toEqual({ id, status: "cancelled" });
      return (await postAtTill(db, ctx, request, id)).posted!;
    });
    await expect(cancelledFirst).rejects.toMatchObject({ code: "confirmation_expired" });
    expect(await balanceOf(card.id)).toBe(1000);
    expect(await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.id, first.body.id))).toHaveLength(0);

    // The cancel lands after the post committed, before the confirmation's own last step: it is refused.
    const second = await post(s.key, card.id, { type: "redeem", points: 400 });
    const secondCode = await lastCodeTo(phone, s.m.merchant.id);
    const posted = await confirmTransaction(db, ctx, second.body.id, secondCode, async (request, id) => {
      const done = (await postAtTill(db, ctx, request, id)).posted!;
      await expect(cancelConfirmation(db, s.m.merchant.id, id)).rejects.toMatchObject({ code: "conflict" });
      return done;
    });
    expect(posted.transaction).toMatchObject({ id: second.body.id, redeemed: 400 });
    expect(await balanceOf(card.id)).toBe(600);
    const [row] = await getDb().select().from(tillCodes).where(eq(tillCodes.id, second.body.id));
    expect(row.status).toBe("completed");
  });

  it("spending at or under the threshold, and accruals, need no code", async () => {
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000 });
    expect((await post(s.key, card.id, { type: "redeem", points: 100 })).status).toBe(201);
    expect((await post(s.key, card.id, { type: "purchase", amount: 5_000 })).status).toBe(201);
  });

  it("five wrong codes end it (410); a cancelled one and an expired one answer 410 too", async () => {
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000 });
    const first = await post(s.key, card.id, { type: "redeem", points: 500 });
    for (let i = 4; i >= 1; i--) expect((await confirm(s.key, first.body.id, "99999999")).body.error.data).toEqual({ triesLeft: i });
    const last = await confirm(s.key, first.body.id, "99999999");
    expect(last).toMatchObject({ status: 410, body: { error: { code: "confirmation_expired", message: t("till.errors.confirmationExpired") } } });

    const second = await post(s.key, card.id, { type: "redeem", points: 500 });
    expect(await callApi(cancelTx, s.key, { method: "POST", params: { id: second.body.id } })).toMatchObject({
      status: 200,
      body: { id: second.body.id, status: "cancelled" },
    });
    expect((await confirm(s.key, second.body.id, "123456")).status).toBe(410);

    const third = await post(s.key, card.id, { type: "redeem", points: 500 });
    await getDb()
      .update(tillCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(tillCodes.id, third.body.id));
    expect((await confirm(s.key, third.body.id, await lastCodeTo((await phoneOf(card.id))!, s.m.merchant.id))).status).toBe(410);
    expect(await balanceOf(card.id)).toBe(1000);
  });

  it("the balance is checked again at confirmation", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 550, phone });
    const pending = await post(s.key, card.id, { type: "redeem", points: 500 });
    const code = await lastCodeTo(phone, s.m.merchant.id);
    expect((await post(s.key, card.id, { type: "redeem", points: 100 })).status).toBe(201);
    const res = await confirm(s.key, pending.body.id, code);
    expect(res).toMatchObject({ status: 409, body: { error: { code: "insufficient_balance", data: { balance: 450 } } } });
  });

  it("skipping needs the scope; a skip is in the card's history and the audit log with its reason", async () => {
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000 });
    const body = { type: "redeem", points: 300, skipConfirmation: { reason: "Customer's phone is dead" } };
    expect(await post(s.key, card.id, body)).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden", message: t("till.errors.skipNotAllowed"), data: { scope: "pos:skip_confirmation" } } },
    });
    const res = await post(s.skipKey, card.id, body);
    expect(res.status).toBe(201);
    const events = await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, card.id));
    expect(events.find((e) => e.type === "points.confirmation_skipped")?.data).toMatchObject({
      reason: "Customer's phone is dead",
      points: 300,
      transactionId: res.body.id,
    });
    const audit = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.merchantId, s.m.merchant.id), eq(auditLog.action, "ledger.confirmationSkipped"), eq(auditLog.entityId, card.id)));
    expect(audit).toHaveLength(1);
    const { countSkippedConfirmations } = await import("@/lib/till/staff");
    expect(await countSkippedConfirmations(getDb(), s.m.merchant.id, card.id)).toBe(1);
    expect(await countSkippedConfirmations(getDb(), "00000000-0000-4000-8000-000000000000", card.id)).toBe(0);
    expect(await post(s.skipKey, card.id, { type: "redeem", points: 300, skipConfirmation: { reason: "" } })).toMatchObject({ status: 422 });
  });

  it("another merchant's key cannot confirm or cancel (404)", async () => {
    const { card } = await createTestCard(s.m, { template: s.confirm, balance: 1000 });
    const pending = await post(s.key, card.id, { type: "redeem", points: 500 });
    expect((await confirm(s.bKey, pending.body.id, "123456")).status).toBe(404);
    expect((await callApi(cancelTx, s.bKey, { method: "POST", params: { id: pending.body.id } })).status).toBe(404);
    expect((await confirm(s.key, "not-a-uuid", "123456")).status).toBe(404);
    expect((await confirm(s.key, pending.body.id, "12")).status).toBe(422);
  });
});

async function phoneOf(cardId: string) {
  const { customers } = await import("@/db/schema");
  const [row] = await getDb()
    .select({ phone: customers.phone })
    .from(cards)
    .innerJoin(customers, eq(customers.id, cards.customerId))
    .where(eq(cards.id, cardId));
  return row?.phone;
}

describe("a code by call", () => {
  const calls: { path: string; params: Record<string, string> }[] = [];
  let mode: "ok" | "fail" = "ok";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      const path = new URL(req.url ?? "/", "http://x").pathname;
      calls.push({ path, params });
      res.writeHead(200, { "content-type": "application/json" });
      if (path === "/code/call")
        res.end(
          JSON.stringify(
            mode === "ok"
              ? { status: "OK", code: "1435", call_id: "000000-10000000", cost: 0.4, balance: 4122.56 }
              : { status: "ERROR", status_code: 202, status_text: "Неправильно указан номер" },
          ),
        );
      else if (path === "/sms/send")
        res.end(JSON.stringify({ status: "OK", status_code: 100, sms: { [params.to]: { status: "OK", status_code: 100, sms_id: "1-1" } } }));
      else res.end(JSON.stringify({ id: 7, cnt: 1, code: "4321" }));
    });
  });
  let m: TestMerchant;
  let key: string;
  let template: { id: string };

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(getEnv(), { SMS_RU_URL: url, SMSC_URL: url });
    m = await createTestMerchant();
    template = await templateWith(m, "Calls", { mode: "on", above: 0 });
    key = (await createTill(getDb(), m.actor, { name: "Call till" })).key;
    await saveTillRules(getDb(), m.actor, { ...DEFAULT_TILL_RULES, confirmChannel: "call" });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const smsRu = () =>
    saveSmsSettings(getDb(), m.actor, {
      provider: "smsru",
      sender: "",
      smsruSecretApiId: "call-test-api-id-0001",
      codeTemplate: "",
      linkTemplate: "",
      codeSmsPerHour: 100,
    } as never);

  it("sms.ru calls (its /code/call), the caller's last 4 digits confirm, and only 3 wrong tries are allowed", async () => {
    await smsRu();
    const phone = uniquePhone();
    const { card } = await createTestCard(m, { template, balance: 100, phone });
    const res = await post(key, card.id, { type: "redeem", points: 10 });
    expect(res).toMatchObject({ status: 202, body: { confirmation: { channel: "call" } } });
    expect(calls.at(-1)).toMatchObject({ path: "/code/call", params: { api_id: "call-test-api-id-0001", phone: phone.slice(1) } });
    expect(await confirm(key, res.body.id, "1111")).toMatchObject({ status: 422, body: { error: { data: { triesLeft: 2 } } } });
    expect(await confirm(key, res.body.id, "1435")).toMatchObject({ status: 200, body: { id: res.body.id, redeemed: 10 } });
  });

  it("smsc.ru calls with mes=code and call=1", async () => {
    await saveSmsSettings(getDb(), m.actor, {
      provider: "smsc",
      sender: "",
      smscAuth: "apiKey",
      smscSecretApiKey: "smsc-call-key-0001",
      codeTemplate: "",
      linkTemplate: "",
      codeSmsPerHour: 100,
    } as never);
    const { card } = await createTestCard(m, { template, balance: 100 });
    const res = await post(key, card.id, { type: "redeem", points: 10 });
    expect(res.body.confirmation.channel).toBe("call");
    expect(calls.at(-1)).toMatchObject({ path: "/sys/send.php", params: { apikey: "smsc-call-key-0001", mes: "code", call: "1", fmt: "3" } });
    expect((await confirm(key, res.body.id, "4321")).status).toBe(200);
  });

  it("a failed call falls back to SMS", async () => {
    await smsRu();
    mode = "fail";
    const phone = uniquePhone();
    const { card } = await createTestCard(m, { template, balance: 100, phone });
    const res = await post(key, card.id, { type: "redeem", points: 10 });
    expect(res.body.confirmation.channel).toBe("sms");
    const code = await lastCodeTo(phone, m.merchant.id);
    expect((await confirm(key, res.body.id, code)).status).toBe(200);
    mode = "ok";
  });
});
