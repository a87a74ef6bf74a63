import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { apiRateLimits } from "@/db/schema/api-rate-limits";
import { and, eq } from "drizzle-orm";
import { PostgresRateLimiter, RATE_BLOCK_MAX, purgeRateLimitWindows } from "@/lib/api/rate-limit";
import { withApiKey } from "@/lib/api/with-api-key";
import { createApiKey } from "@/lib/api-keys";
import { GET as listTemplates } from "@/app/api/v1/templates/route";
import { createTestMerchant, unique } from "../factories";
import { callApi } from "../support/api-call";

describe("REST API rate limits across instances", () => {
  it("counts a key's requests in PostgreSQL, so two instances share one limit; a new window starts afresh", async () => {
    // Two limiters are two web instances: only the database is shared.
    const one = new PostgresRateLimiter(3, 60_000);
    const two = new PostgresRateLimiter(3, 60_000);
    const key = unique("key");
    const t0 = 1_800_000_000_000; // a window boundary (divisible by 60 000)
    expect(await one.hit(key, t0)).toEqual({ ok: true, limit: 3, remaining: 2, resetAt: t0 + 60_000 });
    expect((await two.hit(key, t0 + 10)).remaining).toBe(1);
    expect((await one.hit(key, t0 + 20)).ok).toBe(true);
    expect(await two.hit(key, t0 + 59_999)).toEqual({ ok: false, limit: 3, remaining: 0, resetAt: t0 + 60_000 });
    expect(await one.hit(key, t0 + 60_000)).toEqual({ ok: true, limit: 3, remaining: 2, resetAt: t0 + 120_000 });
    // Another key has its own count.
    expect((await two.hit(unique("key"), t0 + 30)).remaining).toBe(2);
  });

  it("claims a larger limit in blocks: one statement serves many requests, and instances together never pass the limit", async () => {
    const t0 = 1_800_000_000_000 + 60_000 * 7;
    const key = unique("key");
    const rowOf = async () =>
      (
        await getDb()
          .select()
          .from(apiRateLimits)
          .where(and(eq(apiRateLimits.keyId, key), eq(apiRateLimits.windowStart, new Date(t0))))
      )[0];
    // 4,000 a minute: blocks of RATE_BLOCK_MAX.
    const one = new PostgresRateLimiter(4000, 60_000);
    for (let i = 0; i < 20; i++) expect((await one.hit(key, t0 + i)).ok).toBe(true);
    // Twenty requests, one claim: the window's count is the block this instance holds.
    expect((await rowOf()).count).toBe(RATE_BLOCK_MAX);
    expect((await one.hit(key, t0 + 30)).remaining).toBe(4000 - 21);

    // Three instances hammering one key with 600 a minute: exactly the limit is served, however they interleave.
    const shared = unique("key");
    const instances = [1, 2, 3].map(() => new PostgresRateLimiter(600, 60_000));
    const answers = await Promise.all(Array.from({ length: 900 }, (_, i) => instances[i % 3].hit(shared, t0 + 100)));
    const served = answers.filter((a) => a.ok).length;
    expect(served).toBeLessThanOrEqual(600);
    // What the others claimed and did not use is lost to this window: a few requests at most.
    expect(served).toBeGreaterThanOrEqual(600 - 3 * 8);
    expect(answers.filter((a) => !a.ok).every((a) => a.remaining === 0)).toBe(true);
  });

  it("answers 429 with Retry-After and both header families once the limit is passed", async () => {
    const m = await createTestMerchant();
    const { key } = await createApiKey(getDb(), m.actor, { name: "Till", scopes: ["templates:read"] });
    const limiter = new PostgresRateLimiter(2, 60_000);
    const route = withApiKey("templates:read", async () => Response.json({ ok: true }), { limiter });
    const first = await callApi(route, key);
    expect(first.status).toBe(200);
    expect(Object.fromEntries([...first.headers].filter(([k]) => k.includes("ratelimit")))).toMatchObject({
      "ratelimit-limit": "2",
      "ratelimit-remaining": "1",
      "ratelimit-policy": "2;w=60",
      "x-ratelimit-limit": "2",
      "x-ratelimit-remaining": "1",
    });
    const resetIn = Number(first.headers.get("ratelimit-reset"));
    expect(resetIn).toBeGreaterThanOrEqual(0);
    expect(resetIn).toBeLessThanOrEqual(60);
    expect(Number(first.headers.get("x-ratelimit-reset")) * 1000).toBeGreaterThan(Date.now());
    await callApi(route, key);
    const limited = await callApi(route, key);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: "rate_limited", data: { retryAfter: Number(limited.headers.get("retry-after")) } });
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("the real routes carry the headers, and old windows are purged", async () => {
    const m = await createTestMerchant();
    const { key } = await createApiKey(getDb(), m.actor, { name: "Till", scopes: ["templates:read"] });
    const res = await callApi(listTemplates, key);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBe(res.headers.get("x-ratelimit-limit"));
    const old = new PostgresRateLimiter(5);
    await old.hit(unique("old"), Date.now() - 2 * 3_600_000);
    expect(await purgeRateLimitWindows(getDb())).toBeGreaterThanOrEqual(1);
    const left = await getDb().select().from(apiRateLimits);
    expect(left.every((r) => r.windowStart.getTime() > Date.now() - 3_600_000)).toBe(true);
  });
});
