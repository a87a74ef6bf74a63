import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards } from "@/db/schema";
import { englishMessages, type Translate } from "@/lib/api/messages";
import { API_ERROR_DATA, apiErrorSchemaFor } from "@/lib/api/schemas";
import { apiLookupSchema, apiTransactionSchema } from "@/lib/api/ledger-schemas";
import { createApiKey } from "@/lib/api-keys";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_POINTS_PROGRAM } from "@/lib/templates/definition";
import { POST as issueCard } from "@/app/api/v1/cards/route";
import { PATCH as patchCard } from "@/app/api/v1/cards/[id]/route";
import { GET as lookup } from "@/app/api/v1/pos/lookup/route";
import { GET as listTransactions, POST as postTx } from "@/app/api/v1/cards/[id]/transactions/route";
import { GET as findTx } from "@/app/api/v1/transactions/route";
import { GET as getTx } from "@/app/api/v1/transactions/[id]/route";
import { POST as reverseTx } from "@/app/api/v1/transactions/[id]/reverse/route";
import { createTestMerchant, createTestTemplate, uniquePhone } from "../factories";

/** Contract of the POS API: the exact status and body for each case, success and refusal. */

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
type Call = { route: Route; method?: string; path?: string; params?: Record<string, string>; auth?: string; body?: unknown; headers?: Record<string, string> };

async function send({ route, method = "GET", path = "/api/v1/x", params = {}, auth, body, headers = {} }: Call) {
  const init: RequestInit = { method, headers: { ...(auth ? { authorization: auth } : {}), ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await route(new Request(`http://localhost${path}`, init), { params: Promise.resolve(params as never) });
  return { status: response.status, headers: response.headers, body: response.headers.get("content-type")?.includes("json") ? await response.json() : null };
}

let t: Translate;
const s = {} as {
  key: string;
  ledgerOnly: string;
  cardsOnly: string;
  merchantId: string;
  card: { id: string; number: string; phone: string };
  blocked: string;
  blockedNumber: string;
  expiredNumber: string;
  expired: string;
  twoCardsPhone: string;
  twoCards: { id: string; number: string; templateName: string }[];
  reversed: string;
  accrual: string;
  purchase: string;
  otherCard: string;
  otherNumber: string;
  otherTx: string;
};
let keyCounter = 0;
const key = () => ({ "idempotency-key": `k-${Date.now()}-${keyCounter++}` });
const bearer = (k = s.key) => `Bearer ${k}`;

beforeAll(async () => {
  t = await englishMessages();
  const db = getDb();
  const m = await createTestMerchant();
  s.merchantId = m.merchant.id;
  const template = await createTestTemplate(m, { name: "Points" });
  const { version } = await getTemplateOrThrow(db, m.merchant.id, template.id);
  await saveTemplateVersion(db, m.actor, template.id, {
    name: "Points",
    definition: { ...version.definition, program: { ...DEFAULT_POINTS_PROGRAM, maxSharePercent: 50 } },
  });
  const other = await createTestTemplate(m, { name: "Second club" });
  s.key = (await createApiKey(db, m.actor, { name: "All", scopes: ["*"] })).key;
  s.ledgerOnly = (await createApiKey(db, m.actor, { name: "Reports", scopes: ["ledger:read"] })).key;
  s.cardsOnly = (await createApiKey(db, m.actor, { name: "CRM", scopes: ["cards:read"] })).key;
  const issue = async (templateId: string, phone: string, balance: number, number?: string) =>
    (
      await send({
        route: issueCard,
        method: "POST",
        auth: bearer(),
        body: { templateId, customer: { phone, name: "Anna Petrova" }, values: { balance }, number, allowDuplicate: true },
      })
    ).body;
  const phone = uniquePhone();
  const card = await issue(template.id, phone, 1000, `POS-${Date.now().toString().slice(-8)}`);
  s.card = { id: card.id, number: card.number, phone };
  const blocked = await issue(template.id, uniquePhone(), 100);
  s.blocked = blocked.id;
  s.blockedNumber = blocked.number;
  await send({ route: patchCard, method: "PATCH", params: { id: blocked.id }, auth: bearer(), body: { status: "blocked" } });
  const expired = await issue(template.id, uniquePhone(), 100);
  s.expired = expired.id;
  s.expiredNumber = expired.number;
  await db
    .update(cards)
    .set({ expiresAt: new Date(Date.now() - 60_000) })
    .where(eq(cards.id, expired.id));
  s.twoCardsPhone = uniquePhone();
  const first = await issue(template.id, s.twoCardsPhone, 0);
  const second = await issue(other.id, s.twoCardsPhone, 0);
  s.twoCards = [
    { id: first.id, number: first.number, templateName: "Points" },
    { id: second.id, number: second.number, templateName: "Second club" },
  ];
  const ctx = { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "setup" } };
  const spare = await issue(template.id, uniquePhone(), 500);
  const done = (await postTransaction(db, ctx, { cardId: spare.id, type: "accrue", points: 10 })).transaction;
  await reverseTransaction(db, ctx, { transactionId: done.id });
  s.reversed = done.id;
  s.accrual = (await postTransaction(db, ctx, { cardId: spare.id, type: "accrue", points: 100 })).transaction.id;
  s.purchase = (await postTransaction(db, ctx, { cardId: spare.id, type: "purchase", amount: 10_000 })).transaction.id;

  const b = await createTestMerchant();
  const bTemplate = await createTestTemplate(b);
  const bKey = (await createApiKey(db, b.actor, { name: "B", scopes: ["*"] })).key;
  const otherCard = (
    await send({
      route: issueCard,
      method: "POST",
      auth: `Bearer ${bKey}`,
      body: { templateId: bTemplate.id, customer: { phone: uniquePhone() }, values: { balance: 50 } },
    })
  ).body;
  s.otherCard = otherCard.id;
  s.otherNumber = otherCard.number;
  s.otherTx = (
    await postTransaction(db, { merchantId: b.merchant.id, actor: { type: "api", keyId: "b" } }, { cardId: s.otherCard, type: "accrue", points: 5 })
  ).transaction.id;
});

const err = (code: string, message: string, details?: { path: string; message: string }[], data?: Record<string, unknown>) => ({
  error: { code, message, ...(details && { details }), ...(data && { data }) },
});
const invalid = (path: string, key: string) => err("validation", t("api.errors.validation"), [{ path, message: t(key) }]);
const tx = (id: () => string, body: unknown, headers: Record<string, string> | null = key()): Call => ({
  route: postTx,
  method: "POST",
  params: { id: id() },
  auth: bearer(),
  body,
  headers: headers ?? {},
});
const rev = (id: () => string, body: unknown = {}): Call => ({ route: reverseTx, method: "POST", params: { id: id() }, auth: bearer(), body, headers: key() });

describe("POS API errors", () => {
  const cases: { name: string; call: () => Call; status: number; body: () => unknown }[] = [
    // Lookup
    {
      name: "lookup of an unknown code",
      call: () => ({ route: lookup, path: "/api/v1/pos/lookup?code=NOPE-404", auth: bearer() }),
      status: 404,
      body: () => err("card_not_found", t("ledger.errors.cardNotFound")),
    },
    {
      name: "lookup of a phone with no card",
      call: () => ({ route: lookup, path: `/api/v1/pos/lookup?phone=${encodeURIComponent(uniquePhone())}`, auth: bearer() }),
      status: 404,
      body: () => err("card_not_found", t("ledger.errors.cardNotFound")),
    },
    {
      name: "lookup of another merchant's card number",
      call: () => ({ route: lookup, path: `/api/v1/pos/lookup?code=${s.otherNumber}`, auth: bearer() }),
      status: 404,
      body: () => err("card_not_found", t("ledger.errors.cardNotFound")),
    },
    {
      name: "lookup of a blocked card",
      call: () => ({ route: lookup, path: `/api/v1/pos/lookup?code=${s.blockedNumber}`, auth: bearer() }),
      status: 409,
      body: () => err("card_blocked", t("ledger.errors.cardBlocked")),
    },
    {
      name: "lookup of an expired card",
      call: () => ({ route: lookup, path: `/api/v1/pos/lookup?code=${s.expiredNumber}`, auth: bearer() }),
      status: 409,
      body: () => err("card_expired", t("ledger.errors.cardExpired")),
    },
    {
      name: "lookup of a phone holding several loyalty cards",
      call: () => ({ route: lookup, path: `/api/v1/pos/lookup?phone=${encodeURIComponent(s.twoCardsPhone)}`, auth: bearer() }),
      status: 409,
      body: () => err("several_cards", t("ledger.errors.severalCards"), undefined, { choices: s.twoCards }),
    },
    {
      name: "lookup with neither code nor phone",
      call: () => ({ route: lookup, path: "/api/v1/pos/lookup", auth: bearer() }),
      status: 422,
      body: () => invalid("code", "ledger.errors.lookupQuery"),
    },
    {
      name: "lookup with a bad amount",
      call: () => ({ route: lookup, path: `/api/v1/pos/lookup?code=${s.card.number}&amount=-1`, auth: bearer() }),
      status: 422,
      body: () => invalid("amount", "ledger.errors.amount"),
    },
    {
      name: "lookup with a key lacking pos:write",
      call: () => ({ route: lookup, path: `/api/v1/pos/lookup?code=${s.card.number}`, auth: bearer(s.ledgerOnly) }),
      status: 403,
      body: () => err("forbidden", t("api.errors.scope", { scope: "pos:write" }), undefined, { scope: "pos:write" }),
    },
    // Transactions
    {
      name: "a write without Idempotency-Key",
      call: () => tx(() => s.card.id, { type: "accrue", points: 1 }, null),
      status: 400,
      body: () => err("bad_request", t("ledger.errors.idempotencyKeyRequired")),
    },
    {
      name: "an Idempotency-Key with a space",
      call: () => tx(() => s.card.id, { type: "accrue", points: 1 }, { "idempotency-key": "a b" }),
      status: 400,
      body: () => err("bad_request", t("api.errors.idempotencyKey")),
    },
    { name: "a body that is not JSON", call: () => tx(() => s.card.id, "{nope"), status: 400, body: () => err("bad_request", t("api.errors.invalidJson")) },
    { name: "zero points", call: () => tx(() => s.card.id, { type: "accrue", points: 0 }), status: 422, body: () => invalid("points", "ledger.errors.points") },
    {
      name: "fractional points",
      call: () => tx(() => s.card.id, { type: "redeem", points: 1.5 }),
      status: 422,
      body: () => invalid("points", "ledger.errors.points"),
    },
    {
      name: "points as text",
      call: () => tx(() => s.card.id, { type: "accrue", points: "10" }),
      status: 422,
      body: () => invalid("points", "ledger.errors.points"),
    },
    { name: "an unknown type", call: () => tx(() => s.card.id, { type: "gift", points: 1 }), status: 422, body: () => invalid("type", "ledger.errors.type") },
    {
      name: "a purchase without an amount",
      call: () => tx(() => s.card.id, { type: "purchase" }),
      status: 422,
      body: () => invalid("amount", "ledger.errors.amount"),
    },
    {
      name: "a point of sale that is not the merchant's",
      call: () => tx(() => s.card.id, { type: "accrue", points: 1, locationId: randomUUID() }),
      status: 422,
      body: () => err("validation", t("ledger.errors.location"), [{ path: "locationId", message: t("ledger.errors.location") }]),
    },
    {
      name: "an unknown card",
      call: () => tx(() => randomUUID(), { type: "accrue", points: 1 }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "a malformed card id",
      call: () => tx(() => "nope", { type: "accrue", points: 1 }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "another merchant's card",
      call: () => tx(() => s.otherCard, { type: "accrue", points: 1 }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "a redemption beyond the balance",
      call: () => tx(() => s.card.id, { type: "redeem", points: 1001 }),
      status: 409,
      body: () => err("insufficient_balance", t("ledger.errors.insufficientBalance", { balance: 1000 }), undefined, { balance: 1000 }),
    },
    {
      name: "a purchase redeeming beyond the share cap",
      call: () => tx(() => s.card.id, { type: "purchase", amount: 10_000, redeemPoints: 51 }),
      status: 422,
      body: () => err("redeem_limit_exceeded", t("ledger.errors.redeemLimit", { maxPoints: 50 }), undefined, { maxPoints: 50 }),
    },
    {
      name: "a blocked card",
      call: () => tx(() => s.blocked, { type: "accrue", points: 1 }),
      status: 409,
      body: () => err("card_blocked", t("ledger.errors.cardBlocked")),
    },
    {
      name: "an expired card",
      call: () => tx(() => s.expired, { type: "redeem", points: 1 }),
      status: 409,
      body: () => err("card_expired", t("ledger.errors.cardExpired")),
    },
    {
      name: "a write with a key lacking pos:write",
      call: () => ({ ...tx(() => s.card.id, { type: "accrue", points: 1 }), auth: bearer(s.cardsOnly) }),
      status: 403,
      body: () => err("forbidden", t("api.errors.scope", { scope: "pos:write" }), undefined, { scope: "pos:write" }),
    },
    // Reads
    {
      name: "another merchant's transaction",
      call: () => ({ route: getTx, params: { id: s.otherTx }, auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "a malformed transaction id",
      call: () => ({ route: getTx, params: { id: "x" }, auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "an idempotency key never used",
      call: () => ({ route: findTx, path: "/api/v1/transactions?idempotencyKey=never-used", auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "finding by key without the key",
      call: () => ({ route: findTx, path: "/api/v1/transactions", auth: bearer() }),
      status: 422,
      body: () => invalid("idempotencyKey", "ledger.errors.idempotencyKeyRequired"),
    },
    {
      name: "another merchant's card's transactions",
      call: () => ({ route: listTransactions, params: { id: s.otherCard }, auth: bearer() }),
      status: 404,
      body: () => err("not_found", t("errors.notFound")),
    },
    {
      name: "a cursor this API did not make",
      call: () => ({ route: listTransactions, path: "/api/v1/x?cursor=abc", params: { id: s.card.id }, auth: bearer() }),
      status: 422,
      body: () => err("validation", t("api.errors.cursor"), [{ path: "cursor", message: t("api.errors.cursor") }]),
    },
    {
      name: "listing with a key lacking ledger:read",
      call: () => ({ route: listTransactions, params: { id: s.card.id }, auth: bearer(s.cardsOnly) }),
      status: 403,
      body: () => err("forbidden", t("api.errors.scope", { scope: "ledger:read" }), undefined, { scope: "ledger:read" }),
    },
    // Reversals
    { name: "reversing another merchant's transaction", call: () => rev(() => s.otherTx), status: 404, body: () => err("not_found", t("errors.notFound")) },
    {
      name: "reversing a transaction reversed in full",
      call: () => rev(() => s.reversed),
      status: 409,
      body: () => err("already_reversed", t("ledger.errors.alreadyReversed")),
    },
    {
      name: "reversing more than it moved",
      call: () => rev(() => s.accrual, { points: 101 }),
      status: 409,
      body: () => err("reverse_exceeds_original", t("ledger.errors.reverseExceeds", { left: 100 }), undefined, { left: 100 }),
    },
    {
      name: "reversing a purchase by points",
      call: () => rev(() => s.purchase, { points: 1 }),
      status: 422,
      body: () => err("validation", t("ledger.errors.reverseBy"), [{ path: "points", message: t("ledger.errors.reverseBy") }]),
    },
    {
      name: "a reversal without Idempotency-Key",
      call: () => ({ ...rev(() => s.accrual), headers: {} }),
      status: 400,
      body: () => err("bad_request", t("ledger.errors.idempotencyKeyRequired")),
    },
  ];

  it.each(cases)("$name → $status", async ({ call, status, body }) => {
    const response = await send(call());
    expect(response.status).toBe(status);
    expect(response.body).toEqual(body());
    expect(JSON.stringify(response.body)).not.toMatch(/"(api|cards|customers|errors|ledger)\.[a-zA-Z.]+"/);
    const code = response.body.error.code as string;
    if (response.body.error.data) expect(Object.keys(API_ERROR_DATA)).toContain(code);
    expect(
      apiErrorSchemaFor([code as never])
        .strict()
        .safeParse(response.body).success,
      JSON.stringify(response.body),
    ).toBe(true);
  });
});

describe("POS API at the till", () => {
  it("looks a card up by number or phone, phone masked, with what may be redeemed on a receipt", async () => {
    const byNumber = await send({ route: lookup, path: `/api/v1/pos/lookup?code=${s.card.number.toLowerCase()}&amount=10000`, auth: bearer() });
    expect(byNumber.status).toBe(200);
    expect(apiLookupSchema.strict().safeParse(byNumber.body).success).toBe(true);
    expect(byNumber.body).toMatchObject({
      card: { id: s.card.id, number: s.card.number },
      holder: { name: "Anna Petrova" },
      balance: 1000,
      level: null,
      discountPercent: 0,
      redeemable: { maxPoints: 50 },
    });
    expect(byNumber.body.card.customer).toEqual({ id: expect.any(String), name: "Anna Petrova" });
    expect(JSON.stringify(byNumber.body)).not.toContain(s.card.phone);
    expect(byNumber.body.holder.phoneMasked).toBe(`+7********${s.card.phone.slice(-2)}`);
    const byPhone = await send({ route: lookup, path: `/api/v1/pos/lookup?phone=${encodeURIComponent("8" + s.card.phone.slice(2))}`, auth: bearer() });
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.redeemable).toEqual({ maxPoints: 1000 });
  });

  it("takes a purchase once however often the till retries, finds it by key, reverses it, and lists the card's transactions newest first", async () => {
    const headers = { "idempotency-key": "receipt-A-1029" };
    const body = { type: "purchase", amount: 10_000, redeemPoints: 50, receipt: "A-1029" };
    const first = await send({ ...tx(() => s.card.id, body, headers) });
    expect(first.status).toBe(201);
    expect(apiTransactionSchema.strict().safeParse(first.body).success).toBe(true);
    // 100.00, 50.00 paid with points; 5 % of the 50.00 paid with money = 2 points.
    expect(first.body).toMatchObject({
      type: "purchase",
      status: "completed",
      points: -48,
      accrued: 2,
      redeemed: 50,
      balanceAfter: 952,
      cardId: s.card.id,
      receipt: "A-1029",
      amount: 10_000,
      idempotencyKey: "receipt-A-1029",
    });
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const retry = await send({ ...tx(() => s.card.id, { receipt: "A-1029", redeemPoints: 50, amount: 10_000, type: "purchase" }, headers) });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    const clash = await send({ ...tx(() => s.card.id, { ...body, amount: 10_001 }, headers) });
    expect(clash.status).toBe(409);
    expect(clash.body).toEqual(err("conflict", t("api.errors.idempotencyMismatch")));
    const found = await send({ route: findTx, path: "/api/v1/transactions?idempotencyKey=receipt-A-1029", auth: bearer(s.ledgerOnly) });
    expect(found.body).toEqual(first.body);
    expect((await send({ route: getTx, params: { id: first.body.id }, auth: bearer() })).body).toEqual(first.body);

    const reversal = await send({
      route: reverseTx,
      method: "POST",
      params: { id: first.body.id },
      auth: bearer(),
      headers: { "idempotency-key": "refund-1" },
    });
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({
      type: "reversal",
      reverses: first.body.id,
      points: 48,
      accrued: 50,
      redeemed: 2,
      shortfall: 0,
      balanceAfter: 1000,
      amount: 10_000,
    });

    await send({ route: patchCard, method: "PATCH", params: { id: s.card.id }, auth: bearer(), body: { values: { balance: 1200 } } });
    const page1 = await send({ route: listTransactions, path: "/api/v1/x?limit=2", params: { id: s.card.id }, auth: bearer(s.ledgerOnly) });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((d: { type: string; points: number }) => [d.type, d.points])).toEqual([
      ["adjust", 200],
      ["reversal", 48],
    ]);
    const page2 = await send({
      route: listTransactions,
      path: `/api/v1/x?limit=2&cursor=${page1.body.nextCursor}`,
      params: { id: s.card.id },
      auth: bearer(s.ledgerOnly),
    });
    expect(page2.body.data.map((d: { type: string }) => d.type)).toEqual(["purchase", "adjust"]);
    expect(page2.body.nextCursor).toBeNull();
  });
});
