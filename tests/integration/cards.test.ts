import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLog, cardEvents, cards, customers, walletDevices, walletRegistrations, walletUpdates } from "@/db/schema";
import {
  deleteCard,
  getCardOrThrow,
  issueCard,
  listCards,
  moveCard,
  patchCard,
  setCardExpiry,
  transitionCard,
  updateCardCustomer,
  updateCardValues,
} from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { expireDueCards } from "@/lib/cards/expiry";
import { isValidCheckDigit } from "@/lib/cards/numbers";
import { createTemplate, getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { newField } from "@/lib/templates/definition";
import { issueCardSchema } from "@/lib/validations/cards";
import { createTestMerchant, uniquePhone } from "../factories";

type M = Awaited<ReturnType<typeof createTestMerchant>>;

async function setup(kind: "loyalty" | "gift" | "stamp" | "coupon" = "loyalty") {
  const m = await createTestMerchant();
  const template = await createTemplate(getDb(), m.actor, { name: `T ${kind}`, kind });
  return { m, template, actor: staffActor(m.owner.id) };
}

const issue = (m: M, templateId: string, extra: Record<string, unknown> = {}) =>
  issueCard(
    getDb(),
    m.merchant.id,
    staffActor(m.owner.id),
    issueCardSchema("RU").parse({ templateId, customer: { phone: uniquePhone(), name: "Anna" }, ...extra }),
  );

const events = async (cardId: string) =>
  (await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, cardId)).orderBy(cardEvents.createdAt)).map((e) => e.type);

/** Pretends a wallet holds the card, as the web service would record it. */
async function holdInWallet(m: M, cardId: string) {
  const [device] = await getDb()
    .insert(walletDevices)
    .values({ merchantId: m.merchant.id, platform: "apple", deviceLibraryId: `dev-${cardId}`, passTypeId: "pass.test", pushToken: "aa", model: "iPhone" })
    .returning();
  await getDb().insert(walletRegistrations).values({ merchantId: m.merchant.id, deviceId: device.id, cardId });
}

describe("issuing cards", () => {
  it("issues from the template's number pattern with a check digit, the holder's phone in E.164, status issued and an event", async () => {
    const { m, template } = await setup();
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), m.actor, template.id, {
      name: "T",
      definition: { ...version.definition, numbering: { prefix: "CF", digits: 8, checkDigit: true } },
    });
    const card = await issueCard(
      getDb(),
      m.merchant.id,
      staffActor(m.owner.id),
      issueCardSchema("RU").parse({ templateId: template.id, customer: { phone: "8 (916) 555-12-34", name: "Olga" }, balance: "150" }),
    );
    expect(card.number).toMatch(/^CF\d{9}$/);
    expect(isValidCheckDigit(card.number, "qr")).toBe(true);
    expect(card).toMatchObject({ status: "issued", balance: 150, discount: 0 });
    const [holder] = await getDb().select().from(customers).where(eq(customers.id, card.customerId!));
    expect(holder).toMatchObject({ phone: "+79165551234", name: "Olga", merchantId: m.merchant.id });
    expect(await events(card.id)).toEqual(["card.issued"]);
    expect(
      (
        await getDb()
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.merchantId, m.merchant.id), eq(auditLog.action, "card.issued")))
      ).length,
    ).toBe(1);
  });

  it("binds a second card of the same phone to the same customer, and the same phone at another merchant to another customer", async () => {
    const { m, template } = await setup();
    const other = await setup();
    const phone = uniquePhone();
    const a = await issue(m, template.id, { customer: { phone } });
    const b = await issue(m, template.id, { customer: { phone, name: "Later name" }, allowDuplicate: true });
    const c = await issue(other.m, other.template.id, { customer: { phone } });
    expect(a.customerId).toBe(b.customerId);
    expect(c.customerId).not.toBe(a.customerId);
    // Known details are never overwritten by a later issue; blanks are filled in.
    const [holder] = await getDb().select().from(customers).where(eq(customers.id, a.customerId!));
    expect(holder.name).toBe("Later name");
  });

  it("gives the template's expiry policy unless a date is given, and refuses a past date, an invalid phone and an archived template", async () => {
    const { m, template } = await setup("gift");
    const card = await issue(m, template.id);
    const days = (card.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);
    expect(
      issueCardSchema("RU").safeParse({ templateId: template.id, customer: { phone: uniquePhone() }, expiresAt: "2020-01-01" }).error?.issues[0].message,
    ).toBe("cards.errors.expiryPast");
    expect(issueCardSchema("RU").safeParse({ templateId: template.id, customer: { phone: "12345" } }).error?.issues[0].message).toBe("customers.errors.phone");
    const { setTemplateArchived } = await import("@/lib/templates");
    await setTemplateArchived(getDb(), m.actor, template.id, true);
    await expect(issue(m, template.id)).rejects.toMatchObject({ message: "cards.errors.templateArchived" });
  });

  it("takes a merchant's own number once and refuses it taken, or unreadable by the barcode", async () => {
    const { m, template } = await setup();
    const card = await issue(m, template.id, { number: "plastic-0001" });
    expect(card.number).toBe("PLASTIC-0001");
    await expect(issue(m, template.id, { number: "PLASTIC-0001" })).rejects.toMatchObject({ code: "conflict", message: "cards.errors.numberTaken" });
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), m.actor, template.id, {
      name: "T",
      definition: { ...version.definition, barcode: { ...version.definition.barcode, format: "ean13" } },
    });
    await expect(issue(m, template.id, { number: "ABCD-1234" })).rejects.toMatchObject({ message: "templates.errors.barcodeValue.ean13" });
  });

  it("refuses custom values the template does not define, and accepts the ones it does", async () => {
    const { m, template } = await setup();
    await expect(issue(m, template.id, { custom: { tier: "gold" } })).rejects.toMatchObject({ message: "cards.errors.unknownCustom" });
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    const tier = { ...newField("tier", "custom", { en: "Tier", ru: "Уровень" }), customKey: "tier" };
    await saveTemplateVersion(getDb(), m.actor, template.id, {
      name: "T",
      definition: { ...version.definition, fields: { ...version.definition.fields, auxiliary: [tier] } },
    });
    expect((await issue(m, template.id, { custom: { tier: "gold" } })).custom).toEqual({ tier: "gold" });
  });
});

describe("changing cards", () => {
  it("every change writes an event, advances the update tag into a later second, and queues a wallet update only for held cards", async () => {
    const { m, template, actor } = await setup();
    const card = await issue(m, template.id);
    const changed = await updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 40, discount: 5 });
    expect(changed).toMatchObject({ balance: 40, discount: 5 });
    expect(Math.floor(changed.updateTag / 1000)).toBeGreaterThan(Math.floor(card.updateTag / 1000));
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toEqual([]);
    await holdInWallet(m, card.id);
    const again = await updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 41 });
    expect(Math.floor(again.updateTag / 1000)).toBeGreaterThan(Math.floor(changed.updateTag / 1000));
    expect((await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).length).toBe(1);
    const [updated] = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "card.updated")))
      .orderBy(cardEvents.createdAt);
    // The balance is the ledger's: a new one is an adjustment with its own event, never a value the card change writes.
    expect(updated.data).toEqual({ before: { discount: 0 }, after: { discount: 5 } });
    // The same values again change nothing and write nothing.
    const same = await updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 41 });
    expect(same.updateTag).toBe(again.updateTag);
    expect((await events(card.id)).sort()).toEqual(["card.issued", "card.updated", "points.adjusted", "points.adjusted"]);
  });

  it("refuses an edit made on a stale view of the card", async () => {
    const { m, template, actor } = await setup();
    const card = await issue(m, template.id);
    await updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 1 }, card.updateTag);
    await expect(updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 2 }, card.updateTag)).rejects.toMatchObject({
      code: "conflict",
      message: "cards.errors.changedMeanwhile",
    });
    expect((await getCardOrThrow(getDb(), m.merchant.id, card.id)).card.balance).toBe(1);
  });

  it("blocks, unblocks, deactivates and activates; a repeated request is refused, never applied twice", async () => {
    const { m, template, actor } = await setup();
    const card = await issue(m, template.id);
    expect(await transitionCard(getDb(), m.merchant.id, actor, card.id, "block")).toMatchObject({ status: "blocked", blockReason: "lost" });
    await expect(transitionCard(getDb(), m.merchant.id, actor, card.id, "block")).rejects.toMatchObject({
      code: "conflict",
      message: "cards.errors.cannotBlock",
    });
    expect(await transitionCard(getDb(), m.merchant.id, actor, card.id, "unblock")).toMatchObject({ status: "issued", blockReason: null });
    expect(await transitionCard(getDb(), m.merchant.id, actor, card.id, "deactivate")).toMatchObject({ status: "blocked", blockReason: "deactivated" });
    await expect(transitionCard(getDb(), m.merchant.id, actor, card.id, "unblock")).rejects.toMatchObject({ message: "cards.errors.notBlocked" });
    expect(await transitionCard(getDb(), m.merchant.id, actor, card.id, "activate")).toMatchObject({ status: "issued", blockReason: null });
    expect(await events(card.id)).toEqual(["card.issued", "card.blocked", "card.unblocked", "card.deactivated", "card.activated"]);
  });

  it("derives installed, removed and expired from what happened", async () => {
    const { m, template, actor } = await setup();
    const card = await issue(m, template.id);
    await holdInWallet(m, card.id);
    await getDb().update(cards).set({ firstInstalledAt: new Date() }).where(eq(cards.id, card.id));
    expect((await updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 3 })).status).toBe("installed");
    await getDb().delete(walletRegistrations).where(eq(walletRegistrations.cardId, card.id));
    expect((await updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 4 })).status).toBe("removed");
    await getDb()
      .update(cards)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(cards.id, card.id));
    expect(await expireDueCards(getDb())).toBeGreaterThanOrEqual(1);
    expect((await getCardOrThrow(getDb(), m.merchant.id, card.id)).card.status).toBe("expired");
    expect(await events(card.id)).toContain("card.expired");
    const extended = await setCardExpiry(getDb(), m.merchant.id, actor, card.id, new Date(Date.now() + 86_400_000));
    expect(extended.status).toBe("removed");
  });

  it("moves between templates shown the same way, keeping number, values and history; refuses other kinds", async () => {
    const { m, template, actor } = await setup("loyalty");
    const stamp = await createTemplate(getDb(), m.actor, { name: "Stamps", kind: "stamp" });
    const gift = await createTemplate(getDb(), m.actor, { name: "Gift", kind: "gift" });
    const card = await issue(m, template.id, { balance: 70 });
    const moved = await moveCard(getDb(), m.merchant.id, actor, card.id, stamp.id);
    expect(moved).toMatchObject({ templateId: stamp.id, number: card.number, balance: 70 });
    expect(await events(card.id)).toEqual(["card.issued", "card.moved"]);
    await expect(moveCard(getDb(), m.merchant.id, actor, card.id, gift.id)).rejects.toMatchObject({ message: "cards.errors.incompatibleTemplate" });
    await expect(moveCard(getDb(), m.merchant.id, actor, card.id, stamp.id)).rejects.toMatchObject({ message: "cards.errors.sameTemplate" });
  });

  it("a holder's new details reach every card of theirs; a phone of another customer is refused", async () => {
    const { m, template, actor } = await setup();
    const phone = uniquePhone();
    const a = await issue(m, template.id, { customer: { phone, name: "Old" } });
    const b = await issue(m, template.id, { customer: { phone }, allowDuplicate: true });
    const someoneElse = await issue(m, template.id);
    await updateCardCustomer(getDb(), m.merchant.id, actor, a.id, { phone, name: "New Name" });
    expect(await events(b.id)).toEqual(["card.issued", "card.holder_changed"]);
    expect((await getCardOrThrow(getDb(), m.merchant.id, b.id)).customer?.name).toBe("New Name");
    const taken = (await getCardOrThrow(getDb(), m.merchant.id, someoneElse.id)).customer!.phone!;
    await expect(updateCardCustomer(getDb(), m.merchant.id, actor, a.id, { phone: taken })).rejects.toMatchObject({ message: "customers.errors.phoneTaken" });
  });

  it("the API's patch applies values, expiry and status together", async () => {
    const { m, template } = await setup();
    const card = await issue(m, template.id);
    const until = new Date(Date.now() + 5 * 86_400_000);
    const patched = await patchCard(getDb(), m.merchant.id, { type: "api", keyId: "k1" }, card.id, {
      values: { balance: 9 },
      expiresAt: until,
      status: "blocked",
    });
    expect(patched).toMatchObject({ balance: 9, blockReason: "lost", status: "blocked" });
    expect(patched.expiresAt?.getTime()).toBe(until.getTime());
    expect(await events(card.id)).toEqual(["card.issued", "points.adjusted", "card.expiry_changed", "card.blocked"]);
    // Asking for the state the card is already in is no change at all.
    const again = await patchCard(getDb(), m.merchant.id, { type: "api", keyId: "k1" }, card.id, { status: "blocked" });
    expect(again.updateTag).toBe(patched.updateTag);
  });

  it("deletes a card; its events stay, ending with card.deleted, and an audit entry is kept", async () => {
    const { m, template, actor } = await setup();
    const card = await issue(m, template.id);
    await deleteCard(getDb(), m.merchant.id, actor, card.id);
    await expect(getCardOrThrow(getDb(), m.merchant.id, card.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await events(card.id)).toEqual(["card.issued", "card.deleted"]);
    expect((await getDb().select().from(auditLog).where(eq(auditLog.entityId, card.id))).map((a) => a.action)).toContain("card.delete");
  });

  it("a saved template version marks its cards changed and queues the held ones for their wallets", async () => {
    const { m, template } = await setup();
    const held = await issue(m, template.id);
    const idle = await issue(m, template.id);
    await holdInWallet(m, held.id);
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), m.actor, template.id, {
      name: "T",
      definition: { ...version.definition, design: { ...version.definition.design, backgroundColor: "#111111" } },
    });
    const queued = await getDb().select({ id: walletUpdates.cardId }).from(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id));
    expect(queued.map((q) => q.id)).toEqual([held.id]);
    expect((await getCardOrThrow(getDb(), m.merchant.id, idle.id)).card.updateTag).toBeGreaterThan(idle.updateTag);
  });
});

describe("finding cards", () => {
  it("searches by number, phone in any form, name and e-mail; filters by template and status; newest change first", async () => {
    const { m, template, actor } = await setup();
    const other = await createTemplate(getDb(), m.actor, { name: "Other", kind: "loyalty" });
    const a = await issue(m, template.id, { customer: { phone: "+7 916 777-00-11", name: "Zinaida Search", email: "zina@example.com" } });
    const b = await issue(m, other.id);
    await transitionCard(getDb(), m.merchant.id, actor, b.id, "block");
    const find = (filters: Parameters<typeof listCards>[2]) =>
      listCards(getDb(), m.merchant.id, filters, { page: 1, pageSize: 10 }).then((r) => r.rows.map((x) => x.card.id));
    expect(await find({ search: a.number.slice(2, 8) })).toEqual([a.id]);
    expect(await find({ search: "8 916 777-00-11", phoneDigits: "79167770011" })).toEqual([a.id]);
    expect(await find({ search: "zinaida" })).toEqual([a.id]);
    expect(await find({ search: "ZINA@example" })).toEqual([a.id]);
    expect(await find({ templateId: other.id })).toEqual([b.id]);
    expect(await find({ status: "blocked" })).toEqual([b.id]);
    expect(await find({})).toEqual([b.id, a.id]);
  });
});

describe("tenancy", () => {
  it("another merchant cannot read, change, move, block or delete a card, nor find it", async () => {
    const { m, template } = await setup();
    const card = await issue(m, template.id);
    const b = await setup();
    const theirs = staffActor(b.m.owner.id);
    const id = card.id;
    const bid = b.m.merchant.id;
    for (const attempt of [
      () => getCardOrThrow(getDb(), bid, id),
      () => updateCardValues(getDb(), bid, theirs, id, { balance: 1 }),
      () => setCardExpiry(getDb(), bid, theirs, id, null),
      () => transitionCard(getDb(), bid, theirs, id, "block"),
      () => moveCard(getDb(), bid, theirs, id, b.template.id),
      () => deleteCard(getDb(), bid, theirs, id),
      () => patchCard(getDb(), bid, theirs, id, { status: "blocked" }),
      () => updateCardCustomer(getDb(), bid, theirs, id, { phone: uniquePhone() }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "not_found" });
    }
    expect((await listCards(getDb(), bid, { search: card.number }, { page: 1, pageSize: 10 })).total).toBe(0);
    // Nor issue from A's template.
    await expect(issue(b.m, template.id)).rejects.toMatchObject({ message: "cards.errors.template" });
    expect((await getCardOrThrow(getDb(), m.merchant.id, id)).card).toMatchObject({ balance: 0, blockReason: null });
  });
});
