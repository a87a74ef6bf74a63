import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import {
  auditLog,
  cardEvents,
  cards,
  customerDataRequests,
  customers,
  formSubmissions,
  ledgerTransactions,
  tillCodes,
  walletUpdates,
  webhookDeliveries,
  webhookEndpoints,
} from "@/db/schema";
import { changeCustomer } from "@/lib/customers/service";
import { customerDataCsv, eraseCustomer, exportCustomerData, listDataRequests } from "@/lib/customers/data-rights";
import { createSource } from "@/lib/forms/sources";
import { createTestMerchant, createTestWalletDevice, uniquePhone } from "../factories";
import { formOf, send } from "../support/forms";

async function enrolled() {
  const m = await createTestMerchant();
  const form = await formOf(m);
  const group = await createSource(getDb(), m.actor, {
    kind: "group",
    formId: form.id,
    name: "Flyer",
    tag: "",
    startsAt: null,
    endsAt: null,
    maxRegistrations: null,
    welcomeBonus: 50,
    discount: null,
    levelFloor: null,
    active: true,
  });
  const phone = uniquePhone();
  const { card } = await send(group.token, phone, {
    f_name: "Olga Petrova",
    f_email: "olga@example.com",
    f_city: "Kazan",
    f_size: "m",
    c_terms: "on",
    c_news: "on",
  });
  // A holder change leaves the old name and phone in an event: the erasure must take them out too.
  await changeCustomer(getDb(), { merchantId: m.merchant.id, actor: { type: "staff", userId: m.owner.id } }, card.customerId!, { name: "Olga P." });
  return { m, card, phone, customerId: card.customerId! };
}

describe("customer data rights", () => {
  it("exports everything held (record, cards, points, history, answers, consents) as JSON and CSV, and audits each request", async () => {
    const { m, card, phone, customerId } = await enrolled();
    const data = await exportCustomerData(getDb(), m.merchant.id, customerId, { type: "staff", userId: m.owner.id }, "json");
    expect(data.customer).toMatchObject({ phone, name: "Olga P.", email: "olga@example.com", marketingConsent: true });
    expect(data.cards).toMatchObject([{ id: card.id, balance: 50 }]);
    expect(data.transactions).toMatchObject([{ type: "accrue", points: 50 }]);
    expect(data.events.map((e) => e.type)).toEqual(expect.arrayContaining(["card.issued", "points.accrued", "card.holder_changed"]));
    expect(data.formAnswers).toMatchObject([{ answers: { city: "Kazan", size: "m" } }]);
    expect(data.consents.map((c) => c.key).sort()).toEqual(["news", "terms"]);
    const csv = customerDataCsv(data);
    expect(csv.split("\r\n")[0]).toBe("section,id,field,value");
    // Formula-safe, as every CSV here: a leading + is quoted.
    expect(csv).toContain(`customer,${customerId},phone,"'${phone}"`);
    await exportCustomerData(getDb(), m.merchant.id, customerId, { type: "customer" }, "csv");
    const requests = await getDb().select().from(customerDataRequests).where(eq(customerDataRequests.customerId, customerId));
    expect(requests.map((r) => [r.kind, r.requestedBy, r.format]).sort()).toEqual([
      ["export", "customer", "csv"],
      ["export", "staff", "json"],
    ]);
    expect(
      await getDb()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, customerId), eq(auditLog.action, "customer.data_export"))),
    ).toHaveLength(1);
  });

  it("erases: personal fields gone, cards deactivated with a wallet update queued, ledger and events kept without personal data", async () => {
    const { m, card, phone, customerId } = await enrolled();
    await createTestWalletDevice(card);
    await getDb().delete(walletUpdates).where(eq(walletUpdates.cardId, card.id));
    const before = await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, card.id));
    const b = await createTestMerchant();
    const tillCode = (merchantId: string) => ({ merchantId, kind: "authorization" as const, phone, channel: "sms", triesLeft: 3, expiresAt: new Date() });
    const [mine, theirs] = await getDb()
      .insert(tillCodes)
      .values([tillCode(m.merchant.id), tillCode(b.merchant.id)])
      .returning();
    expect(await eraseCustomer(getDb(), m.merchant.id, customerId, { type: "customer" })).toEqual({ cards: 1 });
    const [customer] = await getDb().select().from(customers).where(eq(customers.id, customerId));
    expect(customer).toMatchObject({ phone: null, email: null, name: "", birthday: null, marketingConsent: false, marketingConsentText: null });
    const [after] = await getDb().select().from(cards).where(eq(cards.id, card.id));
    expect(after).toMatchObject({ blockReason: "deactivated", balance: 50 });
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toHaveLength(1);
    expect(await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, card.id))).toEqual(before);
    const events = await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, card.id));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["card.issued", "points.accrued", "card.holder_changed", "card.deactivated"]));
    const text = JSON.stringify(events.map((e) => e.data));
    expect(text).not.toContain(phone);
    expect(text).not.toContain("Olga");
    const phoneOf = async (id: string) => (await getDb().select({ phone: tillCodes.phone }).from(tillCodes).where(eq(tillCodes.id, id)))[0].phone;
    expect(await phoneOf(mine.id)).toBeNull();
    expect(await phoneOf(theirs.id)).toBe(phone);
    const [submission] = await getDb().select().from(formSubmissions).where(eq(formSubmissions.customerId, customerId));
    expect(submission.answers).toEqual({});
    expect(JSON.stringify(await exportCustomerData(getDb(), m.merchant.id, customerId, { type: "customer" }, "json"))).not.toContain(phone);
    // Running it again (after a crash) finishes without a second deactivation.
    await eraseCustomer(getDb(), m.merchant.id, customerId, { type: "customer" });
    expect(
      (
        await getDb()
          .select()
          .from(cardEvents)
          .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "card.deactivated")))
      ).length,
    ).toBe(1);
    // The phone may enrol again as a new customer.
    expect(
      (await getDb().select().from(customerDataRequests).where(eq(customerDataRequests.customerId, customerId))).filter((r) => r.kind === "erase"),
    ).toHaveLength(2);
  });

  it("erases the holder from the webhook deliveries' bodies of the customer's cards, and no other merchant's", async () => {
    const db = getDb();
    const other = await enrolled();
    const m = await createTestMerchant();
    for (const merchantId of [m.merchant.id, other.m.merchant.id])
      await db.insert(webhookEndpoints).values({ merchantId, url: "https://hooks.example.com/x", events: ["*"], secretSealed: "x" });
    const form = await formOf(m);
    const phone = uniquePhone();
    const { card } = await send(form.token, phone, { f_name: "Olga Petrova", f_email: "olga@example.com", f_city: "Kazan", f_size: "m", c_terms: "on" });
    await changeCustomer(db, { merchantId: m.merchant.id, actor: { type: "staff", userId: m.owner.id } }, card.customerId!, { name: "Olga P." });
    const otherPhone = uniquePhone();
    await send((await formOf(other.m)).token, otherPhone, { f_name: "Olga Q.", f_city: "Kazan", f_size: "m", c_terms: "on" });
    const bodies = async (merchantId: string) =>
      (await db.select({ body: webhookDeliveries.body }).from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, merchantId)))
        .map((d) => d.body)
        .join("\n");
    expect(await bodies(m.merchant.id)).toContain(phone);
    expect(await bodies(m.merchant.id)).toContain("Olga");
    await eraseCustomer(db, m.merchant.id, card.customerId!, { type: "customer" });
    const after = await bodies(m.merchant.id);
    expect(after).toContain('"card.issued"');
    expect(after).not.toContain(phone);
    expect(after).not.toContain("Olga");
    expect(after).not.toContain("olga@example.com");
    expect(await bodies(other.m.merchant.id)).toContain(otherPhone);
  });

  it("tenancy: another merchant can neither export nor erase the customer", async () => {
    const { customerId } = await enrolled();
    const b = await createTestMerchant();
    await expect(exportCustomerData(getDb(), b.merchant.id, customerId, { type: "staff", userId: b.owner.id }, "json")).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(eraseCustomer(getDb(), b.merchant.id, customerId, { type: "staff", userId: b.owner.id })).rejects.toMatchObject({ code: "not_found" });
    const [customer] = await getDb().select().from(customers).where(eq(customers.id, customerId));
    expect(customer.phone).not.toBeNull();
  });

  it("the cabinet's log of data requests: who asked (the customer or which staff member), what, when; the erased name gone; one merchant's only", async () => {
    const { m, card, customerId } = await enrolled();
    await exportCustomerData(getDb(), m.merchant.id, customerId, { type: "customer" }, "json");
    const before = await listDataRequests(getDb(), m.merchant.id, 1);
    expect(before).toMatchObject({ total: 1, rows: [{ kind: "export", requestedBy: "customer", format: "json", customerName: "Olga P.", cardId: card.id }] });
    await eraseCustomer(getDb(), m.merchant.id, customerId, { type: "staff", userId: m.owner.id });
    const after = await listDataRequests(getDb(), m.merchant.id, 1);
    expect(after.total).toBe(2);
    expect(after.rows[0]).toMatchObject({
      kind: "erase",
      requestedBy: "staff",
      staffName: m.owner.name,
      customerName: "",
      customerPhone: null,
      cardId: card.id,
    });
    expect((await listDataRequests(getDb(), m.merchant.id, 2)).rows).toEqual([]);
    const other = await createTestMerchant();
    expect(await listDataRequests(getDb(), other.merchant.id, 1)).toEqual({ rows: [], total: 0 });
  });
});
