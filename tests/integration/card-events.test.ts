// Issue 10, part A: one door for every change. A follower registered in lib/card-events/followers
// gets every kind of card change inside the change's own transaction; a rolled-back change leaves no
// event and no follower work; events outlive their card; and only lib/card-events writes them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { cardEvents, cards, walletUpdates } from "@/db/schema";
import { EVENT_NAMES, record, type EventName, type Follower, type RecordedEvent } from "@/lib/card-events";
import { followers } from "@/lib/card-events/followers";
import { deleteCard, issueCard, moveCard, setCardExpiry, transitionCard, updateCardCustomer, updateCardValues } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { changeCard } from "@/lib/cards/change";
import { expireDueCards } from "@/lib/cards/expiry";
import { sendCard } from "@/lib/cards/send";
import { createTemplate, saveTemplateVersion, getTemplateOrThrow } from "@/lib/templates";
import { registerDevice, unregisterDevice } from "@/lib/wallet/service";
import { createTestMerchant, uniquePhone } from "../factories";

type Seen = { event: RecordedEvent; visibleInTx: boolean };

/** A follower of every event that checks, inside `follow`, that the event's row is there in its transaction. */
function spyFollower(seen: Seen[]): Follower {
  return {
    name: "spy",
    follows: new Set(EVENT_NAMES),
    async follow(tx, _ctx, events) {
      for (const event of events) {
        const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from card_events where id = ${event.id}::uuid`));
        seen.push({ event, visibleInTx: row.n === 1 });
      }
      return [];
    },
  };
}

let spy: Follower | undefined;
afterEach(() => {
  if (spy) followers.splice(followers.indexOf(spy), 1);
  spy = undefined;
});

async function setup() {
  const m = await createTestMerchant();
  const actor = staffActor(m.owner.id);
  const template = await createTemplate(getDb(), m.actor, { name: "Coffee", kind: "loyalty" });
  const other = await createTemplate(getDb(), m.actor, { name: "Tea", kind: "loyalty" });
  const card = await issueCard(getDb(), m.merchant.id, actor, {
    templateId: template.id,
    customer: { phone: uniquePhone(), name: "Anna", email: "anna@example.com" },
  });
  return { m, actor, template, other, card };
}

const hold = (db: Db, card: { id: string; merchantId: string; authenticationToken: string; updateTag: number }, device: string) =>
  registerDevice(
    db,
    { ...card, passTypeId: "pass.test" },
    { platform: "apple", deviceLibraryId: device, passTypeId: "pass.test", pushToken: Buffer.from(device).toString("hex"), model: "iPhone" },
  );

describe("the events door", () => {
  it("a registered follower gets every kind of card change, in the change's own transaction", async () => {
    const seen: Seen[] = [];
    spy = spyFollower(seen);
    followers.push(spy);
    const { m, actor, template, other, card } = await setup();
    const db = getDb();
    await updateCardValues(db, m.merchant.id, actor, card.id, { balance: 5, discount: 3 });
    await setCardExpiry(db, m.merchant.id, actor, card.id, new Date(Date.now() + 86_400_000));
    for (const op of ["block", "unblock", "deactivate", "activate"] as const) await transitionCard(db, m.merchant.id, actor, card.id, op);
    await moveCard(db, m.merchant.id, actor, card.id, other.id);
    await updateCardCustomer(db, m.merchant.id, actor, card.id, { phone: uniquePhone(), name: "Anna K" });
    await sendCard(db, m.merchant.id, actor, card.id, "sms", "en");
    await hold(db, card, "events-door-device");
    await unregisterDevice(db, { ...card, passTypeId: "pass.test" }, { platform: "apple", deviceLibraryId: "events-door-device", passTypeId: "pass.test" });
    const { version } = await getTemplateOrThrow(db, m.merchant.id, template.id);
    await saveTemplateVersion(db, m.actor, template.id, { name: "Coffee 2", definition: version.definition });
    await db
      .update(cards)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(cards.id, card.id));
    await expireDueCards(db);
    await deleteCard(db, m.merchant.id, actor, card.id);

    const mine = seen.filter((s) => s.event.merchantId === m.merchant.id);
    const kinds = new Set(mine.map((s) => s.event.type));
    const expected: EventName[] = [
      "card.issued",
      "card.updated",
      "points.adjusted",
      "card.expiry_changed",
      "card.blocked",
      "card.unblocked",
      "card.deactivated",
      "card.activated",
      "card.moved",
      "card.holder_changed",
      "card.sent",
      "card.installed",
      "card.removed",
      "template.updated",
      "card.expired",
      "card.deleted",
    ];
    for (const kind of expected) expect(kinds, kind).toContain(kind);
    expect(mine.every((s) => s.visibleInTx)).toBe(true);
    // Card events name their card; the template's does not.
    expect(mine.filter((s) => s.event.type.startsWith("card.")).every((s) => s.event.cardId === card.id)).toBe(true);
    expect(mine.find((s) => s.event.type === "template.updated")?.event.cardId).toBeNull();
  });

  it("a rolled-back change leaves no event and no wallet update", async () => {
    const { m, actor, card } = await setup();
    await hold(getDb(), card, "rollback-device");
    await getDb().delete(walletUpdates).where(eq(walletUpdates.cardId, card.id));
    const before = await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, card.id));
    await expect(
      getDb().transaction(async (tx) => {
        const { wake } = await changeCard(tx, m.merchant.id, card.id, { discount: 9 }, { event: "card.updated", actor, data: { after: { discount: 9 } } });
        // The wallet follower queued the held card inside the transaction…
        expect([...wake]).toEqual(["wallet-drain"]);
        expect(await tx.select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toHaveLength(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    // …and nothing of it survives the rollback.
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.cardId, card.id))).toHaveLength(0);
    expect(await getDb().select().from(cardEvents).where(eq(cardEvents.cardId, card.id))).toHaveLength(before.length);
  });

  it("a change to a held card queues its wallet update through the follower; a template save queues every held card of it", async () => {
    const { m, actor, template, card } = await setup();
    const spare = await issueCard(getDb(), m.merchant.id, actor, { templateId: template.id, customer: { phone: uniquePhone(), name: "Boris" } });
    await hold(getDb(), card, "follower-device");
    await getDb().delete(walletUpdates);
    await updateCardValues(getDb(), m.merchant.id, actor, spare.id, { balance: 1 });
    expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id))).toHaveLength(0);
    await updateCardValues(getDb(), m.merchant.id, actor, card.id, { balance: 2 });
    expect((await getDb().select().from(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id))).map((r) => r.cardId)).toEqual([card.id]);

    await getDb().delete(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id));
    const [tagBefore] = await getDb().select({ tag: cards.updateTag }).from(cards).where(eq(cards.id, spare.id));
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), m.actor, template.id, { name: "Coffee 3", definition: version.definition });
    expect((await getDb().select().from(walletUpdates).where(eq(walletUpdates.merchantId, m.merchant.id))).map((r) => r.cardId)).toEqual([card.id]);
    const [tagAfter] = await getDb().select({ tag: cards.updateTag }).from(cards).where(eq(cards.id, spare.id));
    expect(tagAfter.tag).toBeGreaterThan(tagBefore.tag);
  });

  it("events outlive their card: card.deleted and the history before it stay", async () => {
    const { m, actor, card } = await setup();
    await deleteCard(getDb(), m.merchant.id, actor, card.id);
    const left = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.merchantId, m.merchant.id), eq(cardEvents.cardId, card.id)))
      .orderBy(cardEvents.createdAt);
    expect(left.map((e) => e.type)).toEqual(["card.issued", "card.deleted"]);
    expect(left[1].data).toMatchObject({ number: card.number });
  });

  it("one record keeps its events' order, cards (or none) and data, the same data sent once", async () => {
    const { m, card } = await setup();
    const same = { campaignId: card.id, figures: { appleAccepted: 1 }, note: 'quote " and \\ backslash, ёж' };
    const events = [
      { type: "push.delivered" as const, cardId: card.id, data: same },
      { type: "campaign.started" as const, data: { campaignId: card.id, total: 2 } },
      { type: "push.delivered" as const, cardId: card.id, data: { ...same } },
      { type: "card.updated" as const, cardId: card.id },
    ];
    await getDb().transaction((tx) => record(tx, { merchantId: m.merchant.id, actor: { type: "system" } }, events));
    const rows = rowsOf<{ type: string; card_id: string | null; data: Record<string, unknown> }>(
      await getDb().execute(sql`
        select type, card_id, data from card_events
        where merchant_id = ${m.merchant.id}::uuid and type in ('push.delivered', 'campaign.started', 'card.updated') order by seq`),
    );
    expect(rows).toEqual([
      { type: "push.delivered", card_id: card.id, data: same },
      { type: "campaign.started", card_id: null, data: { campaignId: card.id, total: 2 } },
      { type: "push.delivered", card_id: card.id, data: same },
      { type: "card.updated", card_id: card.id, data: {} },
    ]);
  });
});

const root = path.resolve(__dirname, "../..");
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" || name.startsWith(".") ? [] : sources(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}
const importsOf = (file: string) => [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);

describe("one way for the arrows", () => {
  it("no module outside lib/card-events writes events", () => {
    const writers = ["lib", "app", "scripts", "db/queries"]
      .flatMap((d) => sources(path.join(root, d)))
      .filter((f) => !f.includes(`${path.sep}lib${path.sep}card-events${path.sep}`))
      .filter((f) => /insert\(cardEvents\)|insert\s+into\s+card_events/i.test(readFileSync(f, "utf8")));
    expect(writers.map((f) => path.relative(root, f))).toEqual([]);
  });

  it("lib/cards, lib/wallet and lib/templates import each other one way only, with no cycle", () => {
    const areas = ["cards", "wallet", "templates"] as const;
    const edges = new Set<string>();
    for (const from of areas) {
      for (const file of sources(path.join(root, "lib", from))) {
        for (const spec of importsOf(file)) {
          const to = areas.find((a) => spec === `@/lib/${a}` || spec.startsWith(`@/lib/${a}/`));
          if (to && to !== from) edges.add(`${from}->${to}`);
        }
      }
    }
    // Depth-first search for a cycle among the three.
    const next = (a: string) => [...edges].filter((e) => e.startsWith(`${a}->`)).map((e) => e.split("->")[1]);
    const cyclic = (a: string, trail: string[]): boolean => trail.includes(a) || next(a).some((b) => cyclic(b, [...trail, a]));
    expect(
      areas.filter((a) => cyclic(a, [])),
      [...edges].join(", "),
    ).toEqual([]);
    expect(edges.has("cards->wallet") && edges.has("wallet->cards")).toBe(false);
    expect(edges.has("templates->cards")).toBe(false);
  });
});
