// Issue 9, item 14: the test-only outbox reader is locked by a random token; `DEV_OUTBOX=true` is refused at start.
import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/dev/outbox/route";
import { POST as seed } from "@/app/api/dev/seed/route";
import { getDb } from "@/db";
import { deliverMessage, queueCodeMessage } from "@/lib/outbox";
import { envSchema, getEnv } from "@/lib/env";
import { uniquePhone } from "../factories";

const TOKEN = "t".repeat(20) + "0123456789abcdef";
const env = getEnv();
const read = (to: string, authorization?: string) =>
  GET(new Request(`http://localhost/api/dev/outbox?to=${encodeURIComponent(to)}`, { headers: authorization ? { authorization } : {} }));

afterEach(() => {
  env.DEV_OUTBOX = undefined;
});

describe("the dev outbox reader", () => {
  it("refuses `true` and short tokens at start", () => {
    for (const value of ["true", "x".repeat(31), `${"y".repeat(40)}!`]) expect(envSchema.safeParse({ DEV_OUTBOX: value }).success).toBe(false);
    expect(envSchema.safeParse({ DEV_OUTBOX: TOKEN }).success).toBe(true);
  });

  it("is 404 when off, without the token, or with a wrong one; with the token it shows the code the console sent", async () => {
    const phone = uniquePhone();
    const id = await queueCodeMessage(getDb(), { merchantId: null, recipient: phone, code: "246810", render: (c) => `${c} is your code` });
    await deliverMessage(id);

    expect((await read(phone, `Bearer ${TOKEN}`)).status).toBe(404);
    env.DEV_OUTBOX = TOKEN;
    for (const auth of [undefined, "Bearer true", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN]) {
      const answer = await read(phone, auth);
      expect(answer.status).toBe(404);
      expect(await answer.text()).not.toContain("246810");
    }
    const answer = await read(phone, `Bearer ${TOKEN}`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ messages: [{ kind: "code", body: "246810 is your code" }] });
    // A NUL in the recipient is no recipient, not a 500.
    expect((await read("+7\u0000", `Bearer ${TOKEN}`)).status).toBe(200);
  });
});

describe("the dev seed route", () => {
  const post = (body: unknown, authorization?: string) =>
    seed(new Request("http://localhost/api/dev/seed", { method: "POST", body: JSON.stringify(body), headers: authorization ? { authorization } : {} }));
  const merchant = () => ({
    organisation: `Seeded ${Date.now()}`,
    name: "Olga Owner",
    email: `seed-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`,
    password: "Test-pass-12345",
  });

  it("is 404 without the token, and makes a merchant with its owner with it", async () => {
    expect((await post(merchant(), `Bearer ${TOKEN}`)).status).toBe(404);
    env.DEV_OUTBOX = TOKEN;
    expect((await post(merchant())).status).toBe(404);
    expect((await post(merchant(), `Bearer ${TOKEN}x`)).status).toBe(404);
    const made = await post(merchant(), `Bearer ${TOKEN}`);
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ merchantId: expect.any(String), ownerId: expect.any(String) });
    expect((await post({ email: "not-an-email" }, `Bearer ${TOKEN}`)).status).toBe(422);
  });
});
