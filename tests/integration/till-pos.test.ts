import { and, desc, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cards, cardStockRanges, outboxMessages, tillCodes } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { englishMessages, type Translate } from "@/lib/api/messages";
import { openCodeSecret } from "@/lib/outbox";
import { createStockRange, deleteStockRange, listStock, stockNumber } from "@/lib/till/stock";
import { createTill, DEFAULT_TILL_RULES, saveTillRules } from "@/lib/till/tills";
import { issueCard } from "@/lib/cards";
import { staffActor } from "@/lib/card-events/actor";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { GET as lookup } from "@/app/api/v1/pos/lookup/route";
import { POST as authorize } from "@/app/api/v1/pos/authorizations/route";
import { POST as verify } from "@/app/api/v1/pos/authorizations/[id]/verify/route";
import { POST as posCards } from "@/app/api/v1/pos/cards/route";
import { callApi } from "../support/api-call";
import { createTestCard, createTestMerchant, createTestTemplate, uniquePhone, type TestMerchant } from "../factories";

/** Phone + PIN authorization, cards issued at the counter and card stock, through the POS API. */

// The PIN jobs the authorizations queue (no worker runs here): kept and run by `runPinJobs`; other queues as usual.
const pinJobs = vi.hoisted(() => [] as { queue: string; data: unknown }[]);
vi.mock("@/lib/jobs/boss", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/jobs/boss")>();
  return {
    ...actual,
    enqueue: async (queue: Parameters<typeof actual.enqueue>[0], data: object, options?: Parameters<typeof actual.enqueue>[2]) => {
      if (queue === "till-pin") return void pinJobs.push({ queue, data });
      return actual.enqueue(queue, data, options);
    },
  };
});
async function runPinJobs(): Promise<number> {
  const { sendAuthorizationPin } = await import("@/lib/till/pin");
  let sent = 0;
  for (const job of pinJobs.splice(0)) if (await sendAuthorizationPin(getDb(), job.data as Parameters<typeof sendAuthorizationPin>[1])) sent += 1;
  return sent;
}

let t: Translate;
const s = {} as { m: TestMerchant; key: string; bKey: string; template: { id: string }; b: TestMerchant };

async function lastCodeTo(phone: string, merchantId: string): Promise<string> {
  const [row] = await getDb()
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.recipient, phone), eq(outboxMessages.merchantId, merchantId), eq(outboxMessages.kind, "code")))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(1);
  return row ? (/\d{6}/.exec(openCodeSecret(row)?.body ?? "")?.[0] ?? "") : "";
}

beforeAll(async () => {
  t = await englishMessages();
  s.m = await createTestMerchant();
  s.template = await createTestTemplate(s.m, { name: "Club" });
  s.key = (await createTill(getDb(), s.m.actor, { name: "Front" })).key;
  s.b = await createTestMerchant();
  s.bKey = (await createApiKey(getDb(), s.b.actor, { name: "B", scopes: ["*"] })).key;
});

describe("phone + PIN authorization", () => {
  it("sends a PIN to a holder; the right PIN answers the lookup once; a wrong one says the tries left", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.template, phone, balance: 70 });
    const res = await callApi(authorize, s.key, { method: "POST", body: { phone } });
    expect(res).toMatchObject({ status: 201, body: { id: expect.any(String), phoneMasked: expect.stringMatching(/\*+\d\d$/), expiresAt: expect.any(String) } });
    expect(await runPinJobs()).toBe(1);
    const pin = await lastCodeTo(phone, s.m.merchant.id);
    expect(pin).toMatch(/^\d{6}$/);
    const wrong = await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin: pin === "000000" ? "000001" : "000000" } });
    expect(wrong).toMatchObject({
      status: 422,
      body: { error: { code: "code_invalid", message: t("till.errors.codeInvalid", { triesLeft: 4 }), data: { triesLeft: 4 } } },
    });
    const ok = await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin } });
    expect(ok).toMatchObject({ status: 200, body: { card: { id: card.id }, balance: 70, holder: { phoneMasked: expect.any(String) } } });
    // A PIN works once.
    expect((await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin } })).status).toBe(410);
  });

  it("a PIN verified before the till-pin job issued it is a wrong PIN that uses no try; the PIN sent afterwards still works", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.template, phone, balance: 12 });
    const stranger = uniquePhone();
    pinJobs.splice(0);
    const [res, other] = [
      await callApi(authorize, s.key, { method: "POST", body: { phone } }),
      await callApi(authorize, s.key, { method: "POST", body: { phone: stranger } }),
    ];
    const early = (id: string) => callApi(verify, s.key, { method: "POST", params: { id }, body: { pin: "123456" } });
    const wrong = (triesLeft: number) => ({
      status: 422,
      body: { error: { code: "code_invalid", message: t("till.errors.codeInvalid", { triesLeft }), data: { triesLeft } } },
    });
    // More early verifies than there are tries: each is refused as a wrong PIN, none uses a try, for a holder and a stranger alike.
    for (let i = 0; i < 7; i++) {
      expect(await early(res.body.id)).toMatchObject(wrong(5));
      expect(await early(other.body.id)).toMatchObject(wrong(5));
    }
    const rows = await getDb()
      .select()
      .from(tillCodes)
      .where(and(eq(tillCodes.merchantId, s.m.merchant.id), inArray(tillCodes.id, [res.body.id, other.body.id])));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ triesLeft: 5, status: "pending" });
    expect(await runPinJobs()).toBe(1);
    const pin = await lastCodeTo(phone, s.m.merchant.id);
    // Issued now: a wrong PIN uses a try, for the holder and (with a code nobody knows) for the stranger alike.
    const notPin = pin === "000000" ? "000001" : "000000";
    expect(await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin: notPin } })).toMatchObject(wrong(4));
    expect(await callApi(verify, s.key, { method: "POST", params: { id: other.body.id }, body: { pin: notPin } })).toMatchObject(wrong(4));
    expect(await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin } })).toMatchObject({
      status: 200,
      body: { card: { id: card.id }, balance: 12 },
    });
    for (let i = 3; i > 0; i--)
      expect(await callApi(verify, s.key, { method: "POST", params: { id: other.body.id }, body: { pin: notPin } })).toMatchObject(wrong(i));
    expect((await callApi(verify, s.key, { method: "POST", params: { id: other.body.id }, body: { pin: notPin } })).status).toBe(410);
  });

  it("answers the same for a phone without a card, and sends nothing", async () => {
    const phone = uniquePhone();
    const res = await callApi(authorize, s.key, { method: "POST", body: { phone } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(["expiresAt", "id", "phoneMasked"]);
    expect(await runPinJobs()).toBe(0);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(0);
    expect((await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin: "123456" } })).status).toBe(422);
  });

  it("does the same work on the request path with or without a card (one row without a code, one job); only the job checks and sends, once", async () => {
    const holder = uniquePhone();
    await createTestCard(s.m, { template: s.template, phone: holder });
    const stranger = uniquePhone();
    pinJobs.splice(0);
    const ids: string[] = [];
    for (const phone of [holder, stranger]) {
      const res = await callApi(authorize, s.key, { method: "POST", body: { phone } });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect(pinJobs.map((j) => j.data)).toEqual(ids.map((id) => expect.objectContaining({ merchantId: s.m.merchant.id, id })));
    for (const [i, phone] of [holder, stranger].entries()) {
      const [row] = await getDb()
        .select()
        .from(tillCodes)
        .where(and(eq(tillCodes.id, ids[i]), eq(tillCodes.merchantId, s.m.merchant.id)));
      expect(row).toMatchObject({ phone, codeHash: null, kind: "authorization" });
      expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(0);
    }
    const jobs = [...pinJobs];
    expect(await runPinJobs()).toBe(1);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, holder))).toHaveLength(1);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, stranger))).toHaveLength(0);
    // A retried job sends nothing more; a job naming the row under another merchant finds nothing.
    pinJobs.push(...jobs, { queue: "till-pin", data: { merchantId: s.b.merchant.id, id: ids[0] } });
    expect(await runPinJobs()).toBe(0);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, holder))).toHaveLength(1);
  });

  it("refuses a bad phone, a bad PIN format, another merchant's authorization, and too many PINs to one phone", async () => {
    expect(await callApi(authorize, s.key, { method: "POST", body: { phone: "abc" } })).toMatchObject({ status: 422, body: { error: { code: "validation" } } });
    const phone = uniquePhone();
    await createTestCard(s.m, { template: s.template, phone });
    const res = await callApi(authorize, s.key, { method: "POST", body: { phone } });
    expect((await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin: "x" } })).status).toBe(422);
    expect((await callApi(verify, s.bKey, { method: "POST", params: { id: res.body.id }, body: { pin: "123456" } })).status).toBe(404);
    for (let i = 0; i < 4; i++) expect((await callApi(authorize, s.key, { method: "POST", body: { phone } })).status).toBe(201);
    expect((await callApi(authorize, s.key, { method: "POST", body: { phone } })).status).toBe(429);
  });

  it("ten PIN requests racing for one phone send five PINs at most", async () => {
    const phone = uniquePhone();
    await createTestCard(s.m, { template: s.template, phone });
    pinJobs.splice(0);
    const answers = await Promise.all(Array.from({ length: 10 }, () => callApi(authorize, s.key, { method: "POST", body: { phone } })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(5);
    expect(await runPinJobs()).toBe(5);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(5);
  });

  it("with 'find cards by phone without a PIN' off, lookup?phone= answers 403 pin_required", async () => {
    const phone = uniquePhone();
    await createTestCard(s.m, { template: s.template, phone });
    expect((await callApi(lookup, s.key, { query: { phone } })).status).toBe(200);
    await saveTillRules(getDb(), s.m.actor, { ...DEFAULT_TILL_RULES, phoneWithoutPin: false });
    expect(await callApi(lookup, s.key, { query: { phone } })).toMatchObject({
      status: 403,
      body: { error: { code: "pin_required", message: t("till.errors.pinRequired") } },
    });
    await saveTillRules(getDb(), s.m.actor, DEFAULT_TILL_RULES);
  });
});

describe("PIN by card number (a rotating QR out of date)", () => {
  async function rotatingTemplate(name: string) {
    const template = await createTestTemplate(s.m, { name });
    const { version } = await getTemplateOrThrow(getDb(), s.m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), s.m.actor, template.id, { name, definition: { ...version.definition, rotatingQr: true } });
    return template;
  }
  const byNumber = (number: string, key = s.key) => callApi(authorize, key, { method: "POST", body: { number } });
  const rowOf = async (id: string) =>
    (
      await getDb()
        .select()
        .from(tillCodes)
        .where(and(eq(tillCodes.id, id), eq(tillCodes.merchantId, s.m.merchant.id)))
    )[0];
  const notPin = (pin: string) => (pin === "000000" ? "000001" : "000000");

  it("sends the PIN to the holder of the card with that number; verify answers that card, even when the phone holds several", async () => {
    const phone = uniquePhone();
    await createTestCard(s.m, { template: s.template, phone, balance: 5 });
    const { card } = await createTestCard(s.m, { template: await rotatingTemplate("Rotating"), phone, balance: 40 });
    // The plain number is refused at the lookup (the template rotates its QR)…
    expect((await callApi(lookup, s.key, { query: { code: card.number } })).body).toMatchObject({ error: { code: "qr_required" } });
    pinJobs.splice(0);
    // …and opens the card with the holder's PIN: as printed in groups, in lower case.
    const printed = card.number.toLowerCase().replace(/(.{4})/g, "$1 ");
    const res = await byNumber(printed);
    expect(res).toMatchObject({ status: 201, body: { id: expect.any(String), phoneMasked: null, expiresAt: expect.any(String) } });
    expect(await rowOf(res.body.id)).toMatchObject({ phone: null, cardId: null, codeHash: null, request: { number: card.number } });
    expect(await runPinJobs()).toBe(1);
    expect(await rowOf(res.body.id)).toMatchObject({ phone, cardId: card.id });
    const pin = await lastCodeTo(phone, s.m.merchant.id);
    expect(pin).toMatch(/^\d{6}$/);
    expect(await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin: notPin(pin) } })).toMatchObject({
      status: 422,
      body: { error: { code: "code_invalid", data: { triesLeft: 4 } } },
    });
    expect(await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin } })).toMatchObject({
      status: 200,
      body: { card: { id: card.id }, balance: 40 },
    });
    expect((await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin } })).status).toBe(410);
    // Another merchant cannot verify it.
    expect((await callApi(verify, s.bKey, { method: "POST", params: { id: res.body.id }, body: { pin } })).status).toBe(404);
  });

  it("reads a number a Russian-layout scanner typed", async () => {
    const template = await createTestTemplate(s.m, { name: "Lettered" });
    const phone = uniquePhone();
    const card = await issueCard(getDb(), s.m.merchant.id, staffActor(s.m.owner.id), {
      templateId: template.id,
      customer: { phone, name: "Olga" },
      number: "QWE-12345",
    });
    pinJobs.splice(0);
    const res = await byNumber("ЙЦУ-12345");
    expect(res.status).toBe(201);
    expect(await runPinJobs()).toBe(1);
    const pin = await lastCodeTo(phone, s.m.merchant.id);
    expect(await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin } })).toMatchObject({
      status: 200,
      body: { card: { id: card.id } },
    });
  });

  it("answers an unknown number, and another merchant's card's number, exactly as a known one: same answer, same row, same job; nothing sent", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.template, phone });
    // Another merchant's card (not merchant B's: its tenancy test below expects it to hold none).
    const theirs = (await createTestCard(await createTestMerchant(), { phone })).card;
    expect(theirs.number).not.toBe(card.number);
    pinJobs.splice(0);
    const asked = [card.number, theirs.number, "ZZ-0000-UNKNOWN"];
    const answers = [];
    for (const number of asked) answers.push(await byNumber(number));
    for (const res of answers) {
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(["expiresAt", "id", "phoneMasked"]);
      expect(res.body.phoneMasked).toBeNull();
    }
    // The request path never looked for the card: each row and job is alike until the job runs.
    const rows = await Promise.all(answers.map((a) => rowOf(a.body.id)));
    for (const [i, row] of rows.entries())
      expect(row).toMatchObject({ kind: "authorization", phone: null, cardId: null, codeHash: null, triesLeft: 5, request: { number: asked[i] } });
    expect(pinJobs.map((j) => Object.keys(j.data as object).sort())).toEqual(Array(3).fill(["id", "locale", "merchantId", "merchantName"]));
    expect(await runPinJobs()).toBe(1);
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(1);
    // Issued all the same, with a code nobody knows: wrong PINs use tries alike, and the last ends each.
    const pin = await lastCodeTo(phone, s.m.merchant.id);
    for (let left = 4; left > 0; left--)
      for (const res of answers)
        expect(await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin: notPin(pin) } })).toMatchObject({
          status: 422,
          body: { error: { code: "code_invalid", data: { triesLeft: left } } },
        });
    for (const res of answers)
      expect((await callApi(verify, s.key, { method: "POST", params: { id: res.body.id }, body: { pin: notPin(pin) } })).status).toBe(410);
  });

  it("sends at most 5 PINs per number an hour (an unknown number too), and PINs by number count towards the holder's phone", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.template, phone });
    pinJobs.splice(0);
    const racing = await Promise.all(Array.from({ length: 7 }, () => byNumber(card.number)));
    expect(racing.filter((a) => a.status === 201)).toHaveLength(5);
    expect(racing.filter((a) => a.status === 429)).toHaveLength(2);
    expect(racing.find((a) => a.status === 429)).toMatchObject({ body: { error: { code: "rate_limited" } } });
    expect(await runPinJobs()).toBe(5);
    // The phone has had its five this hour. Asked by phone the request is taken (each way of asking counts its own
    // requests, so a 429 never ties a phone to a number) but its job sends nothing; the number's other spelling is the same number.
    pinJobs.splice(0);
    const byPhone = await callApi(authorize, s.key, { method: "POST", body: { phone } });
    expect(byPhone.status).toBe(201);
    expect(await runPinJobs()).toBe(0);
    expect(await rowOf(byPhone.body.id)).toMatchObject({ phone, channel: "none", codeHash: expect.any(String) });
    expect(await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone))).toHaveLength(5);
    expect((await byNumber(` ${card.number.toLowerCase()} `)).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await byNumber("UNKNOWN-1")).status).toBe(201);
    expect((await byNumber("UNKNOWN-1")).status).toBe(429);
    // PINs by phone first: the job of a PIN by number then sends nothing to that phone.
    const other = uniquePhone();
    const second = (await createTestCard(s.m, { template: s.template, phone: other })).card;
    for (let i = 0; i < 5; i++) expect((await callApi(authorize, s.key, { method: "POST", body: { phone: other } })).status).toBe(201);
    pinJobs.splice(0);
    const extra = await byNumber(second.number);
    expect(extra.status).toBe(201);
    expect(await runPinJobs()).toBe(0);
    expect(await rowOf(extra.body.id)).toMatchObject({ phone: null, cardId: null, channel: "none", codeHash: expect.any(String) });
  });

  it("refuses both or neither of phone and number, and a malformed number, as validation", async () => {
    const bad = [
      {},
      { phone: uniquePhone(), number: "12345678" },
      { number: "" },
      { number: "12\u000034" },
      { number: "1".repeat(65) },
      { number: "12/34/56" },
      { number: 12345678 },
      { phone: null },
    ];
    for (const body of bad)
      expect(await callApi(authorize, s.key, { method: "POST", body }), JSON.stringify(body)).toMatchObject({
        status: 422,
        body: { error: { code: "validation" } },
      });
    expect(JSON.stringify((await callApi(authorize, s.key, { method: "POST", body: {} })).body.error.details)).toContain(t("till.errors.phoneOrNumber"));
  });
});

describe("cards issued at the counter", () => {
  it("issues on the first active loyalty template and sends the link; a second card for the phone is card_exists", async () => {
    const phone = uniquePhone();
    const res = await callApi(posCards, s.key, { method: "POST", body: { phone, name: "Olga", birthday: "1990-05-01" } });
    expect(res).toMatchObject({ status: 201, body: { id: expect.any(String), templateId: s.template.id, customer: { name: "Olga" } } });
    const sent = await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone));
    expect(sent.map((m) => m.kind)).toEqual(["card"]);
    const again = await callApi(posCards, s.key, { method: "POST", body: { phone } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: "card_exists", data: { card: { id: res.body.id } } } } });
  });

  it("activates a pre-printed number of the card stock with its balance; unknown and active numbers are refused", async () => {
    const range = await createStockRange(getDb(), s.m.actor, {
      templateId: s.template.id,
      prefix: "PP",
      from: 100,
      count: 50,
      digits: 6,
      balance: 300,
      discount: 5,
    });
    // The template's numbering has a check digit, so the range's numbers end in a Luhn digit.
    expect(range).toMatchObject({ fromNumber: 100, toNumber: 149, digits: 6, checkDigit: true });
    const number = stockNumber(range, 120);
    expect(number).toMatch(/^PP000120\d$/);
    const res = await callApi(posCards, s.key, { method: "POST", body: { phone: uniquePhone(), number: number.toLowerCase() } });
    expect(res).toMatchObject({ status: 201, body: { number, values: { balance: 300, discount: 5 } } });
    expect(await callApi(posCards, s.key, { method: "POST", body: { phone: uniquePhone(), number } })).toMatchObject({
      status: 409,
      body: { error: { code: "number_active", message: t("till.errors.numberActive") } },
    });
    for (const unknown of [stockNumber(range, 150), "PP000120", "XX0001200"])
      expect(await callApi(posCards, s.key, { method: "POST", body: { phone: uniquePhone(), number: unknown } })).toMatchObject({
        status: 422,
        body: { error: { code: "number_unknown", message: t("till.errors.numberUnknown") } },
      });
    // One digit wrong, or the check digit itself: mistyped, not unknown; nothing is issued.
    const check = number.slice(-1);
    for (const typo of [`PP000121${check}`, `PP000102${check}`, `PP000120${(Number(check) + 1) % 10}`])
      expect(await callApi(posCards, s.key, { method: "POST", body: { phone: uniquePhone(), number: typo } })).toMatchObject({
        status: 422,
        body: { error: { code: "number_mistyped", message: t("till.errors.numberMistyped") } },
      });
    expect(
      await getDb()
        .select()
        .from(cards)
        .where(eq(cards.number, `PP000121${check}`)),
    ).toEqual([]);

    // A range made before check digits (the column's default) keeps its plain numbers.
    const [legacy] = await getDb()
      .insert(cardStockRanges)
      .values({ merchantId: s.m.merchant.id, templateId: s.template.id, prefix: "LG", fromNumber: 1, toNumber: 10, digits: 4, balance: 7 })
      .returning();
    expect(legacy.checkDigit).toBe(false);
    expect(stockNumber(legacy, 5)).toBe("LG0005");
    expect(await callApi(posCards, s.key, { method: "POST", body: { phone: uniquePhone(), number: "LG0005" } })).toMatchObject({
      status: 201,
      body: { number: "LG0005", values: { balance: 7 } },
    });
    // Another merchant's stock is not this merchant's.
    expect((await callApi(posCards, s.bKey, { method: "POST", body: { phone: uniquePhone(), number: "PP000121" } })).status).toBe(422);
  });

  it("refuses overlapping and oversized ranges, and keeps each merchant's stock apart", async () => {
    const input = { templateId: s.template.id, prefix: "OV", from: 1, to: 10, digits: 4, balance: 0, discount: 0 };
    await createStockRange(getDb(), s.m.actor, input);
    await expect(createStockRange(getDb(), s.m.actor, { ...input, from: 10, to: 20 })).rejects.toMatchObject({ message: "till.errors.rangeOverlap" });
    await expect(createStockRange(getDb(), s.m.actor, { ...input, from: 100, to: 200_100 })).rejects.toMatchObject({ message: "till.errors.rangeTooLarge" });
    await expect(createStockRange(getDb(), s.b.actor, input)).rejects.toMatchObject({ message: "cards.errors.template" });
    const own = await listStock(getDb(), s.m.merchant.id);
    expect(await listStock(getDb(), s.b.merchant.id)).toEqual([]);
    await expect(deleteStockRange(getDb(), s.b.actor, own[0].range.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("tenancy of till codes: a PIN row belongs to its merchant", async () => {
    const rows = await getDb().select({ merchantId: tillCodes.merchantId }).from(tillCodes);
    expect(rows.every((r) => r.merchantId === s.m.merchant.id)).toBe(true);
    expect(await getDb().select().from(cards).where(eq(cards.merchantId, s.b.merchant.id))).toEqual([]);
  });
});

describe("lookup: mistyped layout and the rotating QR", () => {
  it("finds a card whose number a Russian-layout scanner typed", async () => {
    const { card } = await createTestCard(s.m, { template: s.template });
    const russian = [...card.number]
      .map(
        (c) =>
          ({
            Q: "Й",
            W: "Ц",
            E: "У",
            R: "К",
            T: "Е",
            Y: "Н",
            U: "Г",
            I: "Ш",
            O: "Щ",
            P: "З",
            A: "Ф",
            S: "Ы",
            D: "В",
            F: "А",
            G: "П",
            H: "Р",
            J: "О",
            K: "Л",
            L: "Д",
            Z: "Я",
            X: "Ч",
            C: "С",
            V: "М",
            B: "И",
            N: "Т",
            M: "Ь",
          })[c] ?? c,
      )
      .join("");
    expect(await callApi(lookup, s.key, { query: { code: russian } })).toMatchObject({ status: 200, body: { card: { id: card.id } } });
  });

  it("takes today's and yesterday's payload, not the day before's; a forged one is qr_invalid, another merchant's 404", async () => {
    const { rotatingPayload, resolveRotatingPayload } = await import("@/lib/till/qr");
    const { card } = await createTestCard(s.m, { template: s.template });
    const day = 86_400_000;
    const now = new Date("2026-11-29T10:00:00Z");
    const today = rotatingPayload(card, now);
    expect(today.length).toBeLessThan(60);
    expect(await resolveRotatingPayload(getDb(), s.m.merchant.id, today, now)).toMatchObject({ id: card.id });
    expect(await resolveRotatingPayload(getDb(), s.m.merchant.id, rotatingPayload(card, new Date(now.getTime() - day)), now)).toMatchObject({ id: card.id });
    await expect(resolveRotatingPayload(getDb(), s.m.merchant.id, rotatingPayload(card, new Date(now.getTime() - 2 * day)), now)).rejects.toMatchObject({
      code: "qr_expired",
    });
    await expect(resolveRotatingPayload(getDb(), s.m.merchant.id, rotatingPayload(card, new Date(now.getTime() + day)), now)).rejects.toMatchObject({
      code: "qr_invalid",
    });
    const forged = today.slice(0, -2) + (today.endsWith("AA") ? "BB" : "AA");
    await expect(resolveRotatingPayload(getDb(), s.m.merchant.id, forged, now)).rejects.toMatchObject({ code: "qr_invalid" });
    await expect(resolveRotatingPayload(getDb(), s.b.merchant.id, today, now)).rejects.toMatchObject({ code: "card_not_found" });

    // Through the API, with the real clock.
    const live = rotatingPayload(card);
    expect(await callApi(lookup, s.key, { query: { code: live } })).toMatchObject({ status: 200, body: { card: { id: card.id } } });
    expect(await callApi(lookup, s.key, { query: { code: rotatingPayload(card, new Date(Date.now() - 2 * day)) } })).toMatchObject({
      status: 410,
      body: { error: { code: "qr_expired", message: t("till.errors.qrExpired") } },
    });
    expect(await callApi(lookup, s.key, { query: { code: "CDQ.garbage" } })).toMatchObject({ status: 422, body: { error: { code: "qr_invalid" } } });
    expect((await callApi(lookup, s.bKey, { query: { code: live } })).status).toBe(404);
    // Typed by a scanner in the Russian layout.
    const swap = Object.fromEntries(
      [..."qwertyuiop[]asdfghjkl;'zxcvbnm,./QWERTYUIOPASDFGHJKLZXCVBNM"].map((c, i) => [c, "йцукенгшщзхъфывапролджэячсмитьбю.ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ"[i]]),
    );
    const typed = [...live].map((c) => swap[c] ?? c).join("");
    expect(await callApi(lookup, s.key, { query: { code: typed } })).toMatchObject({ status: 200, body: { card: { id: card.id } } });
  });
});

describe("tenancy of tills and till rules", () => {
  it("merchant B cannot read, change or delete A's tills, nor point its rules at A's template", async () => {
    const { getTillOrThrow, updateTill, deleteTill, listTills } = await import("@/lib/till/tills");
    const { till } = await createTill(getDb(), s.m.actor, { name: "A's till" });
    await expect(getTillOrThrow(getDb(), s.b.merchant.id, till.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(updateTill(getDb(), s.b.actor, till.id, { name: "taken" })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteTill(getDb(), s.b.actor, till.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await listTills(getDb(), s.b.merchant.id)).map((x) => x.id)).not.toContain(till.id);
    await expect(saveTillRules(getDb(), s.b.actor, { ...DEFAULT_TILL_RULES, issueTemplateId: s.template.id })).rejects.toMatchObject({
      message: "cards.errors.template",
    });
    // A till may not stand at another merchant's point of sale.
    const { insertLocation } = await import("@/db/queries/locations");
    const place = await insertLocation(getDb(), s.m.merchant.id, { name: "A's shop", address: "", latitude: 55.75, longitude: 37.61, nearbyText: "" });
    await expect(createTill(getDb(), s.b.actor, { name: "x", locationId: place.id })).rejects.toMatchObject({ message: "till.errors.location" });
  });
});
