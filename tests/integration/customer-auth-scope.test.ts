// Issue 9, item 1: a code proves the phone only to whoever delivered it. Each test here replays a step
// of the probe's chain (merchant B reading a code sent through its own provider and using it to see
// merchant A's customers) and failed on the code before the fix.
import { and, eq } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { describe, expect, it } from "vitest";
import { getConnection, getDb, schema, type Db } from "@/db";
import { messagingSettings, oneTimeCodes, outboxMessages } from "@/db/schema";
import { listCardsForSession } from "@/lib/customer-auth/cards";
import { CODE_RULES, issueCode, verifyCode } from "@/lib/customer-auth/codes";
import { sessionServes } from "@/lib/customer-auth/session";
import { requestCustomerCode } from "@/lib/customer-auth/sign-in";
import { listMerchantMessages } from "@/lib/messaging/messages";
import { deliverMessage, openCodeSecret } from "@/lib/outbox";
import { createTestCard, createTestMerchant, uniquePhone } from "../factories";

const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

async function merchantWithCard(phone: string) {
  const m = await createTestMerchant();
  return { ...m, ...(await createTestCard(m, { phone })) };
}

/** The code as merchant B can read it: from what its own provider was handed (the sealed text it is sent). */
async function codeAsDeliveredTo(phone: string, merchantId: string | null): Promise<string> {
  const [row] = await getDb()
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.recipient, phone), merchantId ? eq(outboxMessages.merchantId, merchantId) : undefined))
    .orderBy(outboxMessages.createdAt);
  const text = openCodeSecret(row)?.body ?? "";
  return /\d{6}/.exec(text)?.[0] ?? "";
}

describe("a code proves the phone only to whoever delivered it", () => {
  it("merchant B, reading the code it delivered, gets a session that sees none of merchant A's cards", async () => {
    const phone = uniquePhone();
    const a = await merchantWithCard(phone);
    const b = await merchantWithCard(phone);

    // B asks for a code on its own page and reads it from what its provider was given.
    const deliver = await requestCustomerCode(getDb(), { phone, purpose: "sign_in", merchant: b.merchant, ip: ip(), locale: "en" });
    await deliver();
    const code = await codeAsDeliveredTo(phone, b.merchant.id);
    expect(code).toMatch(/^\d{6}$/);

    // The code does not work at the platform's /my, nor on A's page…
    await expect(verifyCode(getDb(), { phone, purpose: "sign_in", code, merchantId: null })).rejects.toMatchObject({ message: "customerAuth.errors.expired" });
    await expect(verifyCode(getDb(), { phone, purpose: "sign_in", code, merchantId: a.merchant.id })).rejects.toMatchObject({
      message: "customerAuth.errors.expired",
    });
    // …and on B's page it yields a session scoped to B.
    const used = await verifyCode(getDb(), { phone, purpose: "sign_in", code, merchantId: b.merchant.id });
    expect(used.merchantId).toBe(b.merchant.id);
    const session = { phone, merchantId: used.merchantId };
    const seen = await listCardsForSession(getDb(), session, b.merchant.id);
    expect(seen.map((r) => r.card.id)).toEqual([b.card.id]);
    expect(seen.some((r) => r.merchant.id === a.merchant.id)).toBe(false);
    // Neither A's page nor /my accepts B's session.
    expect(sessionServes(session, a.merchant.id)).toBe(false);
    expect(sessionServes(session, null)).toBe(false);
    expect(sessionServes(session, b.merchant.id)).toBe(true);
  });

  it("a platform-delivered code (/my) still yields the session that sees both merchants", async () => {
    const phone = uniquePhone();
    const a = await merchantWithCard(phone);
    const b = await merchantWithCard(phone);
    await (
      await requestCustomerCode(getDb(), { phone, purpose: "sign_in", merchant: null, ip: ip(), locale: "en" })
    )();
    const code = await codeAsDeliveredTo(phone, null);
    const used = await verifyCode(getDb(), { phone, purpose: "sign_in", code, merchantId: null });
    expect(used.merchantId).toBeNull();
    const session = { phone, merchantId: used.merchantId };
    const seen = await listCardsForSession(getDb(), session, a.merchant.id);
    expect(seen.map((r) => r.card.id).sort()).toEqual([a.card.id, b.card.id].sort());
    expect(sessionServes(session, a.merchant.id) && sessionServes(session, b.merchant.id) && sessionServes(session, null)).toBe(true);
  });

  it("one merchant's requests neither consume another's live code nor exhaust its or the platform's limits", async () => {
    const phone = uniquePhone();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const t0 = new Date();
    const codeAtA = await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: a.merchant.id, ip: ip() }, t0);
    // B spends the phone's whole hourly allowance at B.
    for (let i = 0; i < CODE_RULES.perPhonePerHour; i++)
      await issueCode(getDb(), { phone, purpose: "sign_in", merchantId: b.merchant.id, ip: ip() }, later(t0, 61 * i));
    // A's earlier code still works: B's newer codes did not replace it.
    const used = await verifyCode(getDb(), { phone, purpose: "sign_in", code: codeAtA.code, merchantId: a.merchant.id }, later(t0, 250));
    expect(used.id).toBe(codeAtA.id);
    await expect(issueCode(getDb(), { phone, purpose: "sign_in", merchantId: b.merchant.id, ip: ip() }, later(t0, 61 * 5))).rejects.toMatchObject({
      message: "customerAuth.errors.phoneLimit",
    });
    // The platform and A still send.
    await expect(issueCode(getDb(), { phone, purpose: "sign_in", merchantId: null, ip: ip() }, later(t0, 61 * 5))).resolves.toMatchObject({
      code: expect.any(String),
    });
    await expect(issueCode(getDb(), { phone, purpose: "sign_in", merchantId: a.merchant.id, ip: ip() }, later(t0, 61 * 5))).resolves.toMatchObject({
      code: expect.any(String),
    });
  });

  it("a merchant's page sends at most its hourly cap of codes, across all phones", async () => {
    const m = await createTestMerchant();
    await getDb().insert(messagingSettings).values({ merchantId: m.merchant.id, codeSmsPerHour: 3 });
    const t0 = new Date();
    for (let i = 0; i < 3; i++)
      await issueCode(getDb(), { phone: uniquePhone(), purpose: "enrol", merchantId: m.merchant.id, ip: ip(), merchantPerHour: 3 }, t0);
    await expect(
      issueCode(getDb(), { phone: uniquePhone(), purpose: "enrol", merchantId: m.merchant.id, ip: ip(), merchantPerHour: 3 }, later(t0, 10)),
    ).rejects.toMatchObject({
      code: "rate_limited",
      message: "customerAuth.errors.merchantLimit",
      params: { seconds: 3590 },
    });
    // Read from the merchant's settings on the real path.
    const open = { ...m.merchant, enrolmentEnabled: true };
    await expect(requestCustomerCode(getDb(), { phone: uniquePhone(), purpose: "enrol", merchant: open, ip: ip(), locale: "en" })).rejects.toMatchObject({
      message: "customerAuth.errors.merchantLimit",
    });
    // Another merchant is not affected.
    const other = await createTestMerchant();
    await expect(
      issueCode(getDb(), { phone: uniquePhone(), purpose: "enrol", merchantId: other.merchant.id, ip: ip(), merchantPerHour: 3 }),
    ).resolves.toBeTruthy();
  });
});

describe("codes never appear where a merchant can see them", () => {
  it("a template that hides the code among other digits is still masked, on the Messages page and in the stored text", async () => {
    const phone = uniquePhone();
    const b = await merchantWithCard(phone);
    await getDb().insert(messagingSettings).values({ merchantId: b.merchant.id, smsCodeTemplate: "Beta: {code}0" });
    await (
      await requestCustomerCode(getDb(), { phone, purpose: "sign_in", merchant: b.merchant, ip: ip(), locale: "en" })
    )();
    const [row] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, phone));
    const secret = openCodeSecret(row);
    expect(secret?.body).toBe(`Beta: ${secret?.code}0`);
    expect(row.body).toBe("Beta: ••••••0");
    await deliverMessage(row.id);
    const page = await listMerchantMessages(getDb(), b.merchant.id, { q: phone }, { page: 1 });
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0].preview).toBe("Beta: ••••••0");
    expect(JSON.stringify(page.rows)).not.toContain(secret!.code);
    // The seal is bound to its deliverer: copied onto another merchant's row it does not open.
    expect(openCodeSecret({ merchantId: null, secret: row.secret })).toBeNull();
  });
});

/** A Db on the same connection that records every statement it runs. */
function recordingDb(): { db: Db; statements: string[] } {
  const statements: string[] = [];
  const conn = getConnection();
  const logger = { logQuery: (query: string) => statements.push(query) };
  const db = (conn.kind === "postgres"
    ? drizzlePostgres(conn.client, { schema, casing: "snake_case", logger })
    : drizzlePglite(conn.client, { schema, casing: "snake_case", logger })) as unknown as Db;
  return { db, statements };
}

describe("the answer does not tell whether a phone is known (item 11)", () => {
  it("asking for a code runs the same statements for a phone with a card and for a stranger; the SMS is decided after the answer", async () => {
    const known = uniquePhone();
    const m = await merchantWithCard(known);
    const stranger = uniquePhone();
    const run = async (phone: string) => {
      const { db, statements } = recordingDb();
      const deliver = await requestCustomerCode(db, { phone, purpose: "sign_in", merchant: m.merchant, ip: ip(), locale: "en" });
      const before = [...statements];
      await deliver();
      return { before, after: statements.slice(before.length) };
    };
    const forKnown = await run(known);
    const forStranger = await run(stranger);
    expect(forKnown.before).toEqual(forStranger.before);
    expect(forKnown.before.some((q) => /outbox_messages/.test(q))).toBe(false);
    // Only the second step, after the answer, differs: the known phone gets its SMS queued.
    expect(forKnown.after.some((q) => /insert into "outbox_messages"/.test(q))).toBe(true);
    expect(forStranger.after.some((q) => /insert into "outbox_messages"/.test(q))).toBe(false);
    expect(await getDb().select().from(oneTimeCodes).where(eq(oneTimeCodes.phone, stranger))).toHaveLength(1);
  });
});
