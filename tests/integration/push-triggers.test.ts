import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, customers, pushSettings, pushTriggerRules, pushTriggerSends } from "@/db/schema";
import { giveMarketingConsent } from "@/lib/push-events/consent";
import { createTriggerRule, deleteTriggerRule, deliverTriggerSends, listTriggerRules, scanTriggers, updateTriggerRule } from "@/lib/push-events/triggers";
import { fromZonedInput, toZonedInput } from "@/lib/push-events/zone";
import { quietHoursSchema, triggerRuleEditSchema, triggerRuleSchema } from "@/lib/validations/push-events";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice } from "../factories";

const db = () => getDb();
const rule = { channel: "push" as const, days: 0, hour: 10, limitPerCard: 1 };
const sendsOf = (ruleId: string) => db().select().from(pushTriggerSends).where(eq(pushTriggerSends.ruleId, ruleId));

describe("triggered messages", () => {
  it("birthday: on the day at the rule's hour in the merchant's zone, once a year, in the card's history (injected clock)", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    await db().update(customers).set({ birthday: "1990-12-01" }).where(eq(customers.id, card.customerId!));
    const r = await createTriggerRule(db(), m.merchant.id, { ...rule, kind: "birthday", message: "Happy birthday! A gift waits for you." });
    const morning = fromZonedInput(m.merchant.timeZone, "2026-12-01T08:00")!;
    expect(await scanTriggers(db(), fromZonedInput(m.merchant.timeZone, "2026-11-30T12:00")!)).toBe(0);
    await scanTriggers(db(), morning);
    expect(await sendsOf(r.id)).toHaveLength(1);
    // Not yet 10:00 in the merchant's zone.
    expect(await deliverTriggerSends(db(), morning)).toMatchObject({ sent: 0 });
    const ten = fromZonedInput(m.merchant.timeZone, "2026-12-01T10:05")!;
    expect(await deliverTriggerSends(db(), ten)).toMatchObject({ sent: 1 });
    const [after] = await db().select().from(cards).where(eq(cards.id, card.id));
    expect(after.news).toBe("Happy birthday! A gift waits for you.");
    const history = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "push.delivered")));
    expect(history.map((e) => e.data)).toEqual([{ ruleId: r.id, channel: "push" }]);
    // The scan again the same day (or year) writes nothing new.
    await scanTriggers(db(), ten);
    expect(await sendsOf(r.id)).toHaveLength(1);
    const [figures] = await db().select().from(pushTriggerRules).where(eq(pushTriggerRules.id, r.id));
    expect(figures.sent).toBe(1);
  });

  it("no purchase for N days, quiet hours wait, the limit per card skips", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    await db().execute(sql`update cards set created_at = now() - interval '40 days' where id = ${card.id}::uuid`);
    const r = await createTriggerRule(db(), m.merchant.id, { ...rule, kind: "inactive", days: 30, message: "We miss you" });
    expect(await scanTriggers(db())).toBeGreaterThanOrEqual(1);
    await db().insert(pushSettings).values({ merchantId: m.merchant.id, quietFrom: 0, quietTo: 23 });
    // The scan's send fell due at the real now: the clock is injected from the next day on.
    const tomorrow = toZonedInput(m.merchant.timeZone, new Date(Date.now() + 86_400_000)).slice(0, 10);
    const night = fromZonedInput(m.merchant.timeZone, `${tomorrow}T03:00`)!;
    expect(await deliverTriggerSends(db(), night)).toMatchObject({ sent: 0, waiting: 1 });
    const late = fromZonedInput(m.merchant.timeZone, `${tomorrow}T23:30`)!;
    expect(await deliverTriggerSends(db(), late)).toMatchObject({ sent: 1 });
    // A second occasion within 30 days goes over the limit of one.
    await db().insert(pushTriggerSends).values({ merchantId: m.merchant.id, ruleId: r.id, cardId: card.id, occasion: "since:other", dueAt: late });
    expect(await deliverTriggerSends(db(), late)).toMatchObject({ sent: 0, skipped: 1 });
  });

  it("a rule's own quiet hours: a send due inside them waits until they end; they replace the merchant's (injected clock)", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    const at = (local: string) => fromZonedInput(m.merchant.timeZone, local)!;
    // The merchant has none; the rule is quiet 21:00–10:00 (across midnight).
    const r = await createTriggerRule(db(), m.merchant.id, { ...rule, kind: "welcome", message: "Evening hello", quietFrom: 21, quietTo: 10 });
    await db()
      .insert(pushTriggerSends)
      .values({ merchantId: m.merchant.id, ruleId: r.id, cardId: card.id, occasion: "t1", dueAt: at("2026-12-01T21:30") });
    expect(await deliverTriggerSends(db(), at("2026-12-01T21:30"))).toMatchObject({ sent: 0, waiting: 1 });
    // It waits due at the end of the quiet hours, out of the way of sends that may go before.
    expect((await sendsOf(r.id))[0]).toMatchObject({ status: "pending", dueAt: at("2026-12-02T10:00") });
    expect(await deliverTriggerSends(db(), at("2026-12-02T09:59"))).toMatchObject({ sent: 0, waiting: 0 });
    expect(await deliverTriggerSends(db(), at("2026-12-02T10:00"))).toMatchObject({ sent: 1, waiting: 0 });
    const [sent] = await sendsOf(r.id);
    expect(sent).toMatchObject({ status: "sent", sentAt: at("2026-12-02T10:00") });

    // The merchant's quiet hours (0–23) do not hold a rule that has its own (1–2): it goes at 03:00;
    // a rule without its own keeps the merchant's and waits.
    await db().insert(pushSettings).values({ merchantId: m.merchant.id, quietFrom: 0, quietTo: 23 });
    const own = await createTriggerRule(db(), m.merchant.id, { ...rule, kind: "welcome", message: "Own hours", quietFrom: 1, quietTo: 2 });
    const inherits = await createTriggerRule(db(), m.merchant.id, { ...rule, kind: "welcome", message: "Merchant's hours" });
    for (const x of [own, inherits])
      await db()
        .insert(pushTriggerSends)
        .values({ merchantId: m.merchant.id, ruleId: x.id, cardId: card.id, occasion: "t2", dueAt: at("2026-12-03T01:00") });
    expect(await deliverTriggerSends(db(), at("2026-12-03T01:30"))).toMatchObject({ sent: 0, waiting: 2 });
    expect(await deliverTriggerSends(db(), at("2026-12-03T03:00"))).toMatchObject({ sent: 1, waiting: 0 });
    expect((await sendsOf(own.id))[0].status).toBe("sent");
    expect((await sendsOf(inherits.id))[0].status).toBe("pending");
    expect(await deliverTriggerSends(db(), at("2026-12-03T23:10"))).toMatchObject({ sent: 1, waiting: 0 });
  });

  it("one merchant's flood of due sends, quiet or not, does not hold up another merchant's", async () => {
    const [a, b] = [await createTestMerchant(), await createTestMerchant()];
    const [ta, tb] = [await createTestTemplate(a), await createTestTemplate(b)];
    const [{ card: ca }, { card: cb }] = [await createTestCard(a, { template: ta }), await createTestCard(b, { template: tb })];
    const at = (local: string) => fromZonedInput(a.merchant.timeZone, local)!;
    // A's rule is quiet all day but 23:00–00:00; its 260 sends fell due before B's one.
    const flood = await createTriggerRule(db(), a.merchant.id, { ...rule, kind: "welcome", message: "Flood", quietFrom: 0, quietTo: 23 });
    await db()
      .insert(pushTriggerSends)
      .values(
        Array.from({ length: 260 }, (_, i) => ({
          merchantId: a.merchant.id,
          ruleId: flood.id,
          cardId: ca.id,
          occasion: `f${i}`,
          dueAt: at("2026-12-01T08:00"),
        })),
      );
    const hello = await createTriggerRule(db(), b.merchant.id, { ...rule, kind: "welcome", message: "Hello" });
    await db()
      .insert(pushTriggerSends)
      .values({ merchantId: b.merchant.id, ruleId: hello.id, cardId: cb.id, occasion: "w", dueAt: at("2026-12-01T09:00") });
    // One page takes at most 50 of a merchant's sends: B's goes in the first.
    const first = await deliverTriggerSends(db(), at("2026-12-01T10:00"));
    expect(first).toMatchObject({ sent: 1, waiting: 50 });
    expect((await sendsOf(hello.id))[0].status).toBe("sent");
    // A's quiet sends wait due at 23:00, so the next pages reach the rest of them and then stop.
    let pages = 1;
    while ((await deliverTriggerSends(db(), at("2026-12-01T10:00"))).waiting > 0) pages += 1;
    expect(pages).toBe(6);
    const left = await sendsOf(flood.id);
    expect(left.every((x) => x.status === "pending" && x.dueAt.getTime() === at("2026-12-01T23:00").getTime())).toBe(true);
  });

  it("a merchant keeps at most 50 rules, and is told so", async () => {
    const m = await createTestMerchant();
    await db()
      .insert(pushTriggerRules)
      .values(
        Array.from({ length: 50 }, () => ({
          merchantId: m.merchant.id,
          kind: "welcome" as const,
          channel: "push" as const,
          message: "x",
          days: 0,
          hour: 10,
          limitPerCard: 1,
        })),
      );
    await expect(createTriggerRule(db(), m.merchant.id, { ...rule, kind: "welcome", message: "One more" })).rejects.toMatchObject({
      code: "validation",
      message: "pushEvents.errors.tooManyRules",
      params: { max: 50 },
    });
    // Another merchant is not affected.
    const other = await createTestMerchant();
    await expect(createTriggerRule(db(), other.merchant.id, { ...rule, kind: "welcome", message: "Fine" })).resolves.toMatchObject({ message: "Fine" });
  });

  it("the rule form's quiet hours: empty is the merchant's, hours 0–23, both or neither, start not the end", () => {
    const base = { kind: "welcome", message: "Hi", days: "", hour: "10", limitPerCard: "1" };
    expect(triggerRuleSchema.parse({ ...base, quietFrom: "", quietTo: "" })).toMatchObject({ quietFrom: null, quietTo: null });
    expect(triggerRuleSchema.parse({ ...base, quietFrom: " 22 ", quietTo: "8" })).toMatchObject({ quietFrom: 22, quietTo: 8 });
    const issues = (input: object) => triggerRuleSchema.safeParse({ ...base, ...input }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues({ quietFrom: "24", quietTo: "8" })).toEqual([["quietFrom", "pushEvents.errors.hour"]]);
    expect(issues({ quietFrom: "x", quietTo: "8" })).toEqual([["quietFrom", "pushEvents.errors.hour"]]);
    expect(issues({ quietFrom: "22", quietTo: "" })).toEqual([["quietTo", "pushEvents.errors.quietBoth"]]);
    expect(issues({ quietFrom: "5", quietTo: "5" })).toEqual([["quietTo", "pushEvents.errors.quietSame"]]);
    // The merchant's own quiet hours are checked by the same rule.
    expect(quietHoursSchema.safeParse({ quietFrom: "5", quietTo: "5" }).error?.issues[0]).toMatchObject({
      path: ["quietTo"],
      message: "pushEvents.errors.quietSame",
    });
    expect(quietHoursSchema.parse({ quietFrom: "", quietTo: "" })).toEqual({});
    // Editing: clearing both fields goes back to the merchant's quiet hours.
    const id = "5b7d9f1e-2c4a-4e6b-8d0f-1a3c5e7f9b2d";
    expect(triggerRuleEditSchema.parse({ ...base, id, enabled: "on", quietFrom: "", quietTo: "" })).toMatchObject({ quietFrom: null, quietTo: null });
  });

  it("welcome after the card is added to a wallet, through the events door; SMS only with consent", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    const push = await createTriggerRule(db(), m.merchant.id, { ...rule, kind: "welcome", message: "Welcome aboard" });
    const sms = await createTriggerRule(db(), m.merchant.id, { ...rule, channel: "sms", kind: "welcome", message: "Welcome by SMS" });
    await createTestWalletDevice(card);
    expect(await sendsOf(push.id)).toHaveLength(1);
    expect(await deliverTriggerSends(db())).toMatchObject({ sent: 1, skipped: 1 });
    const [smsSend] = await sendsOf(sms.id);
    expect(smsSend).toMatchObject({ status: "skipped", reason: "no consent" });
    await giveMarketingConsent(db(), m.merchant.id, card.customerId!, "news by SMS");
  });

  it("tenancy: rules are the merchant's own", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const r = await createTriggerRule(db(), a.merchant.id, { ...rule, kind: "welcome", message: "Hi" });
    expect(await listTriggerRules(db(), b.merchant.id)).toEqual([]);
    // B cannot give A's rule quiet hours.
    await expect(updateTriggerRule(db(), b.merchant.id, r.id, { quietFrom: 1, quietTo: 2 })).rejects.toMatchObject({ code: "not_found" });
    expect((await listTriggerRules(db(), a.merchant.id))[0]).toMatchObject({ quietFrom: null, quietTo: null });
    await expect(deleteTriggerRule(db(), b.merchant.id, r.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await listTriggerRules(db(), a.merchant.id)).toHaveLength(1);
    // B's cards going into wallets never fire A's rules.
    const { card } = await createTestCard(b);
    await createTestWalletDevice(card);
    expect(await sendsOf(r.id)).toEqual([]);
  });
});
