import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { englishMessages, type Translate } from "@/lib/api/messages";
import { apiLookupSchema, apiTransactionSchema } from "@/lib/api/ledger-schemas";
import { createApiKey } from "@/lib/api-keys";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { POST as issueCard } from "@/app/api/v1/cards/route";
import { GET as lookup } from "@/app/api/v1/pos/lookup/route";
import { POST as postTx } from "@/app/api/v1/cards/[id]/transactions/route";
import { POST as reverseTx } from "@/app/api/v1/transactions/[id]/reverse/route";
import { createTestMerchant, createTestTemplate, uniquePhone } from "../factories";

/** Contract of the POS API on stamp cards: a stamp per visit or qualifying purchase, rewards redeemed as whole goals of stamps. */

type Route = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
type Call = { route: Route; method?: string; path?: string; params?: Record<string, string>; body?: unknown; headers?: Record<string, string> };

let t: Translate;
let apiKey = "";
let counter = 0;
const key = () => ({ "idempotency-key": `stamp-${Date.now()}-${counter++}` });

async function send({ route, method = "GET", path = "/api/v1/x", params = {}, body, headers = {} }: Call) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${apiKey}`, ...headers } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await route(new Request(`http://localhost${path}`, init), { params: Promise.resolve(params as never) });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

let templateId = "";
async function issue(balance = 0) {
  const res = await send({
    route: issueCard,
    method: "POST",
    body: { templateId, customer: { phone: uniquePhone(), name: "Stamp Holder" }, values: { balance } },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; number: string };
}
const post = (id: string, body: unknown, headers: Record<string, string> = key()) => send({ route: postTx, method: "POST", params: { id }, body, headers });
const find = (code: string) => send({ route: lookup, path: `/api/v1/pos/lookup?code=${encodeURIComponent(code)}` });

beforeAll(async () => {
  t = await englishMessages();
  const db = getDb();
  const m = await createTestMerchant();
  const template = await createTestTemplate(m, { kind: "stamp", name: "Coffee" });
  const { version } = await getTemplateOrThrow(db, m.merchant.id, template.id);
  await saveTemplateVersion(db, m.actor, template.id, {
    name: "Coffee",
    definition: { ...version.definition, stamps: { goal: 4, per: "purchase", minAmount: 20_000 } },
  });
  templateId = template.id;
  apiKey = (await createApiKey(db, m.actor, { name: "Till", scopes: ["*"] })).key;
});

describe("POS API on stamp cards", () => {
  it("lookup shows the row and the rewards; maxPoints is the stamps of the whole rewards", async () => {
    const card = await issue(9);
    const res = await find(card.number);
    expect(res.status).toBe(200);
    expect(apiLookupSchema.parse(res.body)).toBeTruthy();
    expect(res.body).toMatchObject({ balance: 9, stamps: { collected: 1, goal: 4, rewards: 2 }, redeemable: { maxPoints: 8 }, level: null });
  });

  it("purchase adds a stamp from the amount on; accrue adds stamps; redeem spends a reward — 201 each, exactly shaped", async () => {
    const card = await issue();
    const small = await post(card.id, { type: "purchase", amount: 19_999, receipt: "C-1" });
    expect(small.status).toBe(201);
    expect(apiTransactionSchema.parse(small.body)).toMatchObject({ type: "purchase", points: 0, accrued: 0, redeemed: 0, balanceAfter: 0, receipt: "C-1" });
    const enough = await post(card.id, { type: "purchase", amount: 20_000 });
    expect(enough.body).toMatchObject({ status: "completed", points: 1, accrued: 1, balanceAfter: 1, amount: 20_000 });
    const more = await post(card.id, { type: "accrue", points: 3 });
    expect(more.body).toMatchObject({ type: "accrue", points: 3, balanceAfter: 4 });
    expect((await find(card.number)).body.stamps).toEqual({ collected: 0, goal: 4, rewards: 1 });
    const reward = await post(card.id, { type: "redeem", points: 4 });
    expect(reward.status).toBe(201);
    expect(reward.body).toMatchObject({ type: "redeem", points: -4, redeemed: 4, balanceAfter: 0 });
    expect((await find(card.number)).body.stamps).toEqual({ collected: 0, goal: 4, rewards: 0 });
  });

  it("answers a replay with the same transaction and moves nothing; another body under the key is 409", async () => {
    const card = await issue();
    const headers = key();
    const first = await post(card.id, { type: "purchase", amount: 25_000 }, headers);
    const again = await post(card.id, { type: "purchase", amount: 25_000 }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect((await find(card.number)).body.balance).toBe(1);
    const other = await post(card.id, { type: "purchase", amount: 30_000 }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("conflict");
  });

  it("refuses part of a reward (422 with the goal) and more rewards than held (409 insufficient_balance)", async () => {
    const card = await issue(5);
    const part = await post(card.id, { type: "redeem", points: 2 });
    expect(part.status).toBe(422);
    expect(part.body.error).toMatchObject({ code: "validation", data: { goal: 4 } });
    expect(JSON.stringify(part.body.error)).toContain(t("ledger.errors.stampRedeem", { goal: 4 }));
    const two = await post(card.id, { type: "redeem", points: 8 });
    expect(two.status).toBe(409);
    expect(two.body).toEqual({
      error: { code: "insufficient_balance", message: t("ledger.errors.insufficientBalance", { balance: 5 }), data: { balance: 5 } },
    });
    expect((await find(card.number)).body.balance).toBe(5);
  });

  it("a refund of a stamp purchase takes its stamp back through /reverse", async () => {
    const card = await issue();
    const bought = await post(card.id, { type: "purchase", amount: 40_000 });
    const back = await send({ route: reverseTx, method: "POST", params: { id: bought.body.id }, body: { amount: 40_000 }, headers: key() });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ type: "reversal", points: -1, balanceAfter: 0, reverses: bought.body.id, shortfall: 0 });
  });
});
