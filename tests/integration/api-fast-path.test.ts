import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createApiKey } from "@/lib/api-keys";
import { API_BODY_LIMIT_BYTES } from "@/lib/files/limits";
import { API_SECURITY_HEADERS } from "@/lib/security/headers";
import { answerApiFastPath } from "@/scripts/api-fast-path";
import { createTestCard, createTestMerchant, createTestTemplate } from "../factories";

/**
 * npm start answers the till's lookup and posted transactions before Next's router, through the same
 * route handlers: same answers, the API's security headers, the body limit, and everything else left to Next.
 */

let server: http.Server;
let base: string;
let key: string;
let card: { id: string; number: string };
const leftToNext: string[] = [];
const failures: unknown[] = [];

beforeAll(async () => {
  const m = await createTestMerchant();
  const template = await createTestTemplate(m, { name: "Points" });
  key = (await createApiKey(getDb(), m.actor, { name: "Till", scopes: ["pos:write"] })).key;
  const { card: issued } = await createTestCard(m, { template, balance: 500 });
  card = { id: issued.id, number: issued.number };
  server = http.createServer((req, res) => {
    if (answerApiFastPath(req, res, (err) => failures.push(err))) return;
    leftToNext.push(`${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const auth = () => ({ authorization: `Bearer ${key}` });

describe("the API fast path", () => {
  it("looks a card up, with the API's security headers", async () => {
    const response = await fetch(`${base}/api/v1/pos/lookup?code=${encodeURIComponent(card.number)}`, { headers: auth() });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.card.id).toBe(card.id);
    expect(body.balance).toBe(500);
    for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) expect(response.headers.get(name)).toBe(value);
    expect(response.headers.get("x-ratelimit-limit")).toBeTruthy();
  });

  it("posts a transaction once per idempotency key", async () => {
    const post = () =>
      fetch(`${base}/api/v1/cards/${card.id}/transactions`, {
        method: "POST",
        headers: { ...auth(), "content-type": "application/json", "idempotency-key": "fast-1" },
        body: JSON.stringify({ type: "accrue", points: 25 }),
      });
    const first = await post();
    expect(first.status).toBe(201);
    const replay = await post();
    expect(replay.status).toBe(201);
    expect((await replay.json()).balanceAfter).toBe(525);
    expect((await first.json()).balanceAfter).toBe(525);
  });

  it("answers errors in the API's envelope", async () => {
    const missingKey = await fetch(`${base}/api/v1/pos/lookup?code=x`);
    expect(missingKey.status).toBe(401);
    expect((await missingKey.json()).error.code).toBe("unauthorized");
    const unknown = await fetch(`${base}/api/v1/cards/not-a-card/transactions`, {
      method: "POST",
      headers: { ...auth(), "idempotency-key": "fast-2" },
      body: JSON.stringify({ type: "accrue", points: 1 }),
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("not_found");
  });

  it("refuses a body over the limit with 413 before parsing it, and the connection still works", async () => {
    const huge = JSON.stringify({ type: "accrue", points: 1, receipt: "x".repeat(API_BODY_LIMIT_BYTES) });
    const response = await fetch(`${base}/api/v1/cards/${card.id}/transactions`, {
      method: "POST",
      headers: { ...auth(), "idempotency-key": "fast-3" },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({ code: "payload_too_large", data: { limitBytes: API_BODY_LIMIT_BYTES } });
    const after = await fetch(`${base}/api/v1/pos/lookup?code=${encodeURIComponent(card.number)}`, { headers: auth() });
    expect((await after.json()).balance).toBe(525);
  });

  it("leaves every other call to Next", async () => {
    leftToNext.length = 0;
    await fetch(`${base}/api/v1/pos/lookup?code=x`, { method: "POST", headers: auth() });
    await fetch(`${base}/api/v1/cards/${card.id}/transactions`, { headers: auth() });
    await fetch(`${base}/api/v1/cards/${card.id}`, { headers: auth() });
    await fetch(`${base}/api/v1/cards/${card.id}/transactions/extra`, { method: "POST", headers: auth() });
    await fetch(`${base}/cards`);
    expect(leftToNext).toEqual([
      "POST /api/v1/pos/lookup?code=x",
      `GET /api/v1/cards/${card.id}/transactions`,
      `GET /api/v1/cards/${card.id}`,
      `POST /api/v1/cards/${card.id}/transactions/extra`,
      "GET /cards",
    ]);
    expect(failures).toEqual([]);
  });
});
