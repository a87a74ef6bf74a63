import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { listMerchantMessages } from "@/lib/messaging/messages";
import { deliverMessage, queueCodeMessage, queueMessage } from "@/lib/outbox";
import { listMessagesQuerySchema } from "@/lib/validations/messaging";
import { createTestMerchant, uniquePhone } from "../factories";

type Merchant = Awaited<ReturnType<typeof createTestMerchant>>;

/** A merchant's outbox with one message of each kind, the card SMS failed. */
async function merchantWithOutbox() {
  const m = await createTestMerchant();
  const db = getDb();
  const phone = uniquePhone();
  const code = await queueCodeMessage(db, { merchantId: m.merchant.id, recipient: phone, code: "739154", render: (c) => `${c} is your sign-in code.` });
  const card = await queueMessage(db, {
    merchantId: m.merchant.id,
    channel: "sms",
    kind: "card",
    recipient: phone,
    body: "Your card https://example.test/c/1",
  });
  const mail = await queueMessage(db, {
    merchantId: m.merchant.id,
    channel: "email",
    kind: "card",
    recipient: "holder@example.com",
    subject: "Your card",
    body: "Here it is",
  });
  for (const id of [code, mail]) await deliverMessage(id);
  await db
    .update(outboxMessages)
    .set({ status: "failed", error: "number_blocked: sms.ru will not send to this number. (sms.ru 207: …)" })
    .where(eq(outboxMessages.id, card));
  return { m, phone, ids: { code, card, mail } };
}

const list = (m: Merchant, query: Record<string, string> = {}, extra: { phoneDigits?: string } = {}, page = 1) =>
  listMerchantMessages(getDb(), m.merchant.id, { ...listMessagesQuerySchema.parse(query), ...extra }, { page, pageSize: 2 });

describe("Cabinet → Messages", () => {
  it("lists the merchant's messages newest first, filtered on the server and paginated", async () => {
    const { m, phone, ids } = await merchantWithOutbox();
    // The welcome e-mail to the owner is in the outbox too.
    const all = await listMerchantMessages(getDb(), m.merchant.id, {}, { page: 1 });
    expect(all.total).toBe(4);
    expect(all.rows.slice(0, 3).map((r) => r.id)).toEqual([ids.mail, ids.card, ids.code]);

    expect((await list(m, { channel: "sms" })).rows.map((r) => r.id)).toEqual([ids.card, ids.code]);
    expect((await list(m, { status: "failed" })).rows).toEqual([expect.objectContaining({ id: ids.card, error: expect.stringMatching(/^number_blocked: /) })]);
    expect((await list(m, { kind: "card", channel: "email" })).rows.map((r) => r.id)).toEqual([ids.mail]);
    expect((await list(m, { q: "HOLDER@" })).rows.map((r) => r.id)).toEqual([ids.mail]);
    expect((await list(m, { q: "8 916" }, { phoneDigits: phone.slice(1, 7) })).total).toBe(2);
    // Garbage in the query string is no filter, not an error.
    expect((await list(m, { status: "lost", kind: "<script>" })).total).toBe(4);
    // A % in a search is a character, not a wildcard.
    expect((await list(m, { q: "%" })).total).toBe(0);

    const second = await list(m, {}, {}, 2);
    expect(second.total).toBe(4);
    expect(second.rows).toHaveLength(2);
    expect(second.rows[0].id).toBe(ids.code);
  });

  it("never shows staff a one-time code, even one the console kept", async () => {
    const { m, ids } = await merchantWithOutbox();
    const [stored] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, ids.code));
    expect(stored.body).not.toContain("739154");
    const row = (await list(m, { kind: "code" })).rows[0];
    expect(row.preview).toBe("•••••• is your sign-in code.");
    expect(JSON.stringify(row)).not.toContain("739154");
    expect((await list(m, { kind: "card", channel: "sms" })).rows[0].preview).toBe("Your card https://example.test/c/1");
  });

  it("merchant B never sees A's messages, nor the platform's own", async () => {
    const a = await merchantWithOutbox();
    const b = await merchantWithOutbox();
    const platform = await queueCodeMessage(getDb(), { merchantId: null, recipient: a.phone, code: "111111", render: (c) => `${c} is your code.` });
    const seenByB = (await listMerchantMessages(getDb(), b.m.merchant.id, {}, { page: 1, pageSize: 100 })).rows.map((r) => r.id);
    expect(seenByB).toHaveLength(4);
    for (const id of [...Object.values(a.ids), platform]) expect(seenByB).not.toContain(id);
    // Searching B's outbox for A's recipient finds nothing.
    expect((await listMerchantMessages(getDb(), b.m.merchant.id, { q: "holder@example.com" }, { page: 1 })).rows.map((r) => r.id)).toEqual([b.ids.mail]);
  });
});
