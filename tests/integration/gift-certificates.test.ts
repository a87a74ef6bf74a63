import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, certificateCodes, ledgerTransactions, locations, merchantNotifications } from "@/db/schema";
import { createDefinition, getDefinitionOrThrow, listDefinitions, setDefinitionArchived, updateDefinition } from "@/lib/gift-certificates/definitions";
import { expireDueCertificates } from "@/lib/gift-certificates/expiry";
import { issueCertificates } from "@/lib/gift-certificates/issue";
import { generatePoolCodes, uploadCodes } from "@/lib/gift-certificates/pool";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import { lookupCard } from "@/lib/ledger/lookup";
import type { DefinitionInput } from "@/lib/validations/gift-certificates";
import { createTestMerchant, uniquePhone } from "../factories";

type M = Awaited<ReturnType<typeof createTestMerchant>>;
const db = () => getDb();
const till = (m: M) => ({ merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } });
const text = (en: string) => ({ en, ru: en });

function input(over: Partial<DefinitionInput> = {}): DefinitionInput {
  return {
    name: "Gift 1000",
    valueKind: "money",
    nominal: 100_000,
    presentation: text("Show the code at the till"),
    terms: text("**Valid** at all our shops"),
    validity: { mode: "days", days: 365 },
    partialRedemption: true,
    ...over,
  };
}

async function withPool(over: Partial<DefinitionInput> = {}, codes = 5) {
  const m = await createTestMerchant();
  const definition = await createDefinition(db(), m.actor, input(over));
  if (codes) await generatePoolCodes(db(), m.actor, definition.id, { count: codes, length: 8 });
  return { m, definition };
}

async function issueOne(m: M, definitionId: string, amount?: number) {
  const [issued] = await db().transaction((tx) => issueCertificates(tx, till(m), definitionId, [{ phone: uniquePhone(), name: "Anna", amount }]));
  return issued;
}

const codeRow = async (cardId: string) => (await db().select().from(certificateCodes).where(eq(certificateCodes.cardId, cardId)))[0];

describe("definitions", () => {
  it("creates a gift template for the definition and validates the value", async () => {
    const { m, definition } = await withPool({}, 0);
    expect(definition.nominal).toBe(100_000);
    expect(definition.validDays).toBe(365);
    await expect(createDefinition(db(), m.actor, input({ nominal: undefined }))).rejects.toThrow();
    const product = await createDefinition(
      db(),
      m.actor,
      input({ valueKind: "product", nominal: undefined, product: text("One large pizza"), partialRedemption: true }),
    );
    expect(product.nominal).toBeNull();
    expect(product.partialRedemption).toBe(false);
    const updated = await updateDefinition(db(), m.actor, definition.id, input({ name: "Gift 2000", nominal: 200_000 }));
    expect(updated.name).toBe("Gift 2000");
    await setDefinitionArchived(db(), m.actor, definition.id, true);
    expect((await listDefinitions(db(), m.merchant.id, { archived: false })).map((d) => d.id)).toEqual([product.id]);
  });

  it("refuses another merchant's points of sale", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const [loc] = await db()
      .insert(locations)
      .values({ merchantId: b.merchant.id, name: "B shop", address: "x", latitude: 55.75, longitude: 37.61 })
      .returning();
    await expect(createDefinition(db(), a.actor, input({ locationIds: [loc.id] }))).rejects.toMatchObject({ code: "validation" });
  });
});

describe("code pools", () => {
  it("reports duplicates in the file and in the database (across definitions) and writes nothing", async () => {
    const { m, definition } = await withPool({}, 0);
    const other = await createDefinition(db(), m.actor, input({ name: "Other" }));
    expect((await uploadCodes(db(), m.actor, other.id, "code\nTAKEN1\n")).imported).toBe(1);
    const report = await uploadCodes(db(), m.actor, definition.id, "code\nAAA111\ntaken1\naaa111\nBBB222\n");
    expect(report.written).toBe(false);
    expect(report.imported).toBe(0);
    expect(report.problems.map((p) => [p.line, p.problem])).toEqual([
      [3, "giftCertificates.errors.codeTaken"],
      [4, "giftCertificates.errors.codeDuplicateInFile"],
    ]);
    const count = async () => (await db().select().from(certificateCodes).where(eq(certificateCodes.definitionId, definition.id))).length;
    expect(await count()).toBe(0);
    const good = await uploadCodes(db(), m.actor, definition.id, "code\nAAA111\ntaken1\naaa111\nBBB222\n", { importGood: true });
    expect(good).toMatchObject({ written: true, imported: 2 });
    expect(await count()).toBe(2);
  });

  it("the same code at another merchant is no duplicate", async () => {
    const a = await withPool({}, 0);
    const b = await withPool({}, 0);
    expect((await uploadCodes(db(), a.m.actor, a.definition.id, "SAME01\n")).imported).toBe(1);
    expect((await uploadCodes(db(), b.m.actor, b.definition.id, "SAME01\n")).imported).toBe(1);
  });

  it("notifies once when the pool runs low", async () => {
    const { m, definition } = await withPool({ lowPoolThreshold: 3 }, 3);
    // Issuing takes the pool below the threshold: one notification, not one per issue.
    await issueOne(m, definition.id);
    await issueOne(m, definition.id);
    const notes = await db()
      .select()
      .from(merchantNotifications)
      .where(and(eq(merchantNotifications.merchantId, m.merchant.id), eq(merchantNotifications.kind, "certificateLowPool")));
    expect(notes).toHaveLength(1);
    expect(notes[0].params).toMatchObject({ free: 2 });
    // Refilled above the threshold, the warning is armed again.
    await generatePoolCodes(db(), m.actor, definition.id, { count: 5, length: 8 });
    expect((await getDefinitionOrThrow(db(), m.merchant.id, definition.id)).lowPoolNotifiedAt).toBeNull();
  });

  it("another merchant cannot upload to or generate for a definition", async () => {
    const a = await withPool({}, 0);
    const b = await createTestMerchant();
    await expect(uploadCodes(db(), b.actor, a.definition.id, "X12345\n")).rejects.toMatchObject({ code: "not_found" });
    await expect(generatePoolCodes(db(), b.actor, a.definition.id, { count: 1, length: 8 })).rejects.toMatchObject({ code: "not_found" });
    await expect(getDefinitionOrThrow(db(), b.merchant.id, a.definition.id)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("issuing", () => {
  it("binds the next free code, records certificate.issued and an opening ledger entry", async () => {
    const { m, definition } = await withPool();
    const issued = await issueOne(m, definition.id);
    expect(issued.card.number).toBe(issued.code);
    expect(issued.card.balance).toBe(100_000);
    expect(issued.card.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 364 * 86_400_000);
    expect(await codeRow(issued.card.id)).toMatchObject({ status: "issued", code: issued.code });
    const types = (await db().select({ type: cardEvents.type }).from(cardEvents).where(eq(cardEvents.cardId, issued.card.id))).map((e) => e.type);
    expect(types).toEqual(["certificate.issued"]);
    const [opening] = await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, issued.card.id));
    expect(opening).toMatchObject({ type: "adjust", points: 100_000, balanceAfter: 100_000 });
  });

  it("refuses more recipients than free codes, writing nothing", async () => {
    const { m, definition } = await withPool({}, 2);
    const rows = [1, 2, 3].map(() => ({ phone: uniquePhone() }));
    await expect(db().transaction((tx) => issueCertificates(tx, till(m), definition.id, rows))).rejects.toMatchObject({
      code: "no_free_codes",
      data: { missing: 1 },
    });
    const left = await db()
      .select()
      .from(certificateCodes)
      .where(and(eq(certificateCodes.definitionId, definition.id), eq(certificateCodes.status, "free")));
    expect(left).toHaveLength(2);
    expect((await db().select().from(cards).where(eq(cards.merchantId, m.merchant.id))).length).toBe(0);
  });

  it("20 parallel issues on a pool of 10 never give one code twice", async () => {
    const { m, definition } = await withPool({}, 10);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => issueOne(m, definition.id)));
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof issueOne>>>).value);
    expect(ok).toHaveLength(10);
    expect(new Set(ok.map((i) => i.code)).size).toBe(10);
  });
});

describe("redemption through the ledger", () => {
  it("finds a certificate by its code and redeems partly, then fully", async () => {
    const { m, definition } = await withPool();
    const issued = await issueOne(m, definition.id);
    const found = await lookupCard(db(), m.merchant.id, { code: issued.code.toLowerCase() });
    expect(found.card.id).toBe(issued.card.id);
    const half = await postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 50_000, idempotencyKey: "h1" });
    expect(half.transaction.balanceAfter).toBe(50_000);
    const ev = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, issued.card.id), eq(cardEvents.type, "certificate.redeemed")));
    expect(ev[0].data).toMatchObject({ amount: 50_000, remaining: 50_000 });
    await expect(postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 60_000 })).rejects.toMatchObject({
      code: "insufficient_balance",
    });
    await postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 50_000 });
    expect((await codeRow(issued.card.id)).status).toBe("redeemed");
    await reverseTransaction(db(), till(m), { transactionId: half.transaction.id });
    expect((await codeRow(issued.card.id)).status).toBe("issued");
    await expect(postTransaction(db(), till(m), { cardId: issued.card.id, type: "accrue", points: 10 })).rejects.toMatchObject({ code: "validation" });
  });

  it("without partial redemption only the whole balance", async () => {
    const { m, definition } = await withPool({ partialRedemption: false });
    const issued = await issueOne(m, definition.id, 30_000);
    expect(issued.card.balance).toBe(30_000);
    await expect(postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 10_000 })).rejects.toMatchObject({ code: "validation" });
    await postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 30_000 });
  });

  it("a product certificate holds one unit and redeems once, whole", async () => {
    const { m, definition } = await withPool({ valueKind: "product", nominal: undefined, product: text("Pizza") });
    const issued = await issueOne(m, definition.id);
    expect(issued.card.balance).toBe(1);
    await postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 1 });
    await expect(postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 1 })).rejects.toMatchObject({ code: "insufficient_balance" });
  });

  it("refuses expired and blocked certificates", async () => {
    const { m, definition } = await withPool();
    const expired = await issueOne(m, definition.id);
    await db()
      .update(cards)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(cards.id, expired.card.id));
    await expect(postTransaction(db(), till(m), { cardId: expired.card.id, type: "redeem", points: 1 })).rejects.toMatchObject({ code: "card_expired" });
    const blocked = await issueOne(m, definition.id);
    await db().update(cards).set({ status: "blocked", blockReason: "lost" }).where(eq(cards.id, blocked.card.id));
    await expect(postTransaction(db(), till(m), { cardId: blocked.card.id, type: "redeem", points: 1 })).rejects.toMatchObject({ code: "card_blocked" });
  });

  it("50 redeemers racing spend the certificate exactly once", async () => {
    const { m, definition } = await withPool();
    const issued = await issueOne(m, definition.id, 10_000);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 1_000, idempotencyKey: `race-${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    const [card] = await db().select().from(cards).where(eq(cards.id, issued.card.id));
    expect(card.balance).toBe(0);
    expect((await codeRow(issued.card.id)).status).toBe("redeemed");
  });

  it("another merchant's till cannot redeem it", async () => {
    const { m, definition } = await withPool();
    const issued = await issueOne(m, definition.id);
    const b = await createTestMerchant();
    await expect(postTransaction(db(), till(b), { cardId: issued.card.id, type: "redeem", points: 1 })).rejects.toMatchObject({ code: "not_found" });
    await expect(lookupCard(db(), b.merchant.id, { code: issued.code })).rejects.toMatchObject({ code: "card_not_found" });
  });
});

describe("expiry", () => {
  it("writes off the remainder with an expire transaction and certificate.expired", async () => {
    const { m, definition } = await withPool();
    const issued = await issueOne(m, definition.id);
    await postTransaction(db(), till(m), { cardId: issued.card.id, type: "redeem", points: 40_000 });
    await db()
      .update(cards)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(cards.id, issued.card.id));
    expect(await expireDueCertificates(db())).toBeGreaterThanOrEqual(1);
    const [card] = await db().select().from(cards).where(eq(cards.id, issued.card.id));
    expect(card).toMatchObject({ status: "expired", balance: 0 });
    const [expire] = await db()
      .select()
      .from(ledgerTransactions)
      .where(and(eq(ledgerTransactions.cardId, issued.card.id), eq(ledgerTransactions.type, "expire")));
    expect(expire.points).toBe(-60_000);
    const [ev] = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, issued.card.id), eq(cardEvents.type, "certificate.expired")));
    expect(ev.data).toMatchObject({ amount: 60_000, remaining: 0 });
    // The breakage is reported per definition.
    const [stats] = await listDefinitions(db(), m.merchant.id);
    expect(stats).toMatchObject({ breakage: 60_000, outstanding: 0 });
    // Run again: nothing more.
    await expireDueCertificates(db());
    const count = await db().execute(sql`select count(*)::int as n from ledger_transactions where card_id = ${issued.card.id} and type = 'expire'`);
    expect((count as unknown as { rows?: { n: number }[] }).rows?.[0]?.n ?? (count as unknown as { n: number }[])[0].n).toBe(1);
  });
});

describe("demo seed", () => {
  it("has a 1,000 ₽ definition with 50 codes and two issued certificates, once", async () => {
    const { seedDemoGiftCertificates } = await import("@/lib/gift-certificates/seed");
    const m = await createTestMerchant();
    await seedDemoGiftCertificates(db(), m.actor);
    await seedDemoGiftCertificates(db(), m.actor);
    const [d] = await listDefinitions(db(), m.merchant.id);
    expect(d).toMatchObject({ nominal: 100_000, partialRedemption: true, free: 48, issued: 2 });
    expect(await listDefinitions(db(), m.merchant.id)).toHaveLength(1);
  });
});

describe("the recipient's side", () => {
  it("shows the definition, code and points of sale, and records the first opening once", async () => {
    const { certificateExtrasFor, markCertificateOpened } = await import("@/lib/gift-certificates/customer");
    const { m, definition } = await withPool();
    const issued = await issueOne(m, definition.id);
    const extras = (await certificateExtrasFor(db(), [issued.card.id])).get(issued.card.id)!;
    expect(extras).toMatchObject({ code: issued.code, definition: { id: definition.id } });
    expect(await markCertificateOpened(db(), issued.card.linkToken)).toBe(true);
    expect(await markCertificateOpened(db(), issued.card.linkToken)).toBe(false);
    expect(await markCertificateOpened(db(), "not-a-token")).toBe(false);
    const opened = await db()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, issued.card.id), eq(cardEvents.type, "certificate.opened")));
    expect(opened).toHaveLength(1);
    expect((await codeRow(issued.card.id)).openedAt).not.toBeNull();
    const [listed] = await listDefinitions(db(), m.merchant.id);
    expect(listed.opened).toBe(1);
  });
});
