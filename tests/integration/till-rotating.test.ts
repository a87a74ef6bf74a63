import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cards, walletUpdates } from "@/db/schema";
import { englishMessages, type Translate } from "@/lib/api/messages";
import type { StaffContext } from "@/lib/auth/session";
import { buildPassJson } from "@/lib/passes/apple/pass-json";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { rotatingPayload, windowOf } from "@/lib/till/qr";
import { markRotatingPasses, QR_DAILY_STEP_SECONDS, runRotatingQrJob } from "@/lib/till/qr-daily";
import { createTill } from "@/lib/till/tills";
import { cardToObject } from "@/lib/wallet/google/mapping";
import { loadCardForPass, toPassCard } from "@/lib/wallet/pass";
import { GET as lookup } from "@/app/api/v1/pos/lookup/route";
import { callApi } from "../support/api-call";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice, type TestMerchant } from "../factories";

// The cashier screen's actions run as whoever this says; the real guard reads the next-auth cookie.
let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({
  getLocale: async () => "en",
  getFormatter: async () => ({ dateTime: (d: Date) => d.toISOString().slice(0, 10) }),
  getTranslations: async () => Object.assign((key: string) => key, { has: () => true }),
}));
const tillActions = await import("@/app/(cabinet)/till/actions");

const form = (values: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
};

/** The rotating QR end to end: passes carry the day's payload, a daily run re-marks held passes in spread batches, and the till refuses plain numbers. */

const DAY = 86_400_000;
let t: Translate;
const s = {} as { m: TestMerchant; b: TestMerchant; rotating: { id: string }; plain: { id: string }; key: string };

async function rotatingTemplate(m: TestMerchant, name: string) {
  const template = await createTestTemplate(m, { name });
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name, definition: { ...version.definition, rotatingQr: true } });
  return template;
}

beforeAll(async () => {
  t = await englishMessages();
  s.m = await createTestMerchant();
  s.b = await createTestMerchant();
  s.rotating = await rotatingTemplate(s.m, "Rotating");
  s.plain = await createTestTemplate(s.m, { name: "Plain" });
  s.key = (await createTill(getDb(), s.m.actor, { name: "Till Q" })).key;
});

describe("passes of a rotating-QR template", () => {
  it("carry the day's payload as a QR, on Apple and Google, and a new one the next day", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating });
    const data = await loadCardForPass(getDb(), s.m.merchant.id, card.id);
    const day1 = new Date("2026-11-29T10:00:00Z");
    const day2 = new Date(day1.getTime() + DAY);
    const passCard = toPassCard(data.card, data.holderName, data, day1);
    expect(passCard.rotatingCode).toBe(rotatingPayload(card, day1));
    expect(toPassCard(data.card, data.holderName, data, day2).rotatingCode).toBe(rotatingPayload(card, day2));
    expect(rotatingPayload(card, day2)).not.toBe(rotatingPayload(card, day1));

    const { passJson } = buildPassJson({
      kind: data.kind,
      definition: data.definition,
      card: passCard,
      organizationName: "Org",
      currency: "RUB",
      passTypeId: "pass.test",
      teamId: "TEAM",
      appUrl: "http://localhost:3000",
      locations: [],
    });
    const barcodes = passJson.barcodes as { format: string; message: string }[];
    expect(barcodes.length).toBeGreaterThan(0);
    for (const b of barcodes) expect(b).toMatchObject({ format: "PKBarcodeFormatQR", message: rotatingPayload(card, day1) });
    expect(JSON.stringify(passJson)).not.toContain(`"message":"${card.number}"`);

    const google = cardToObject(data.kind, data.definition, passCard, {
      issuerId: "1",
      templateId: data.templateId,
      merchantName: "Org",
      currency: "RUB",
      appUrl: "http://localhost:3000",
      logoFileId: null,
      heroFileId: null,
      locations: [],
    });
    expect((google.body as { barcode: unknown }).barcode).toMatchObject({ type: "QR_CODE", value: rotatingPayload(card, day1) });

    // A plain template's passes keep the plain code.
    const plain = await createTestCard(s.m, { template: s.plain });
    const plainData = await loadCardForPass(getDb(), s.m.merchant.id, plain.card.id);
    expect(toPassCard(plainData.card, plainData.holderName, plainData, day1).rotatingCode).toBeNull();
  });
});

describe("the till", () => {
  it("refuses a rotating-QR card's plain number or static barcode (422 qr_required) and takes its payload; a plain template's number still works", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating });
    for (const code of [card.number, ` ${card.number}\n`, card.number.toLowerCase()]) {
      expect(await callApi(lookup, s.key, { query: { code } })).toMatchObject({
        status: 422,
        body: { error: { code: "qr_required", message: t("till.errors.qrRequired") } },
      });
    }
    expect(await callApi(lookup, s.key, { query: { code: rotatingPayload(card) } })).toMatchObject({ status: 200, body: { card: { id: card.id } } });
    // Yesterday's pass still works; the day before's does not.
    expect((await callApi(lookup, s.key, { query: { code: rotatingPayload(card, new Date(Date.now() - DAY)) } })).status).toBe(200);
    expect((await callApi(lookup, s.key, { query: { code: rotatingPayload(card, new Date(Date.now() - 2 * DAY)) } })).status).toBe(410);
    const plain = await createTestCard(s.m, { template: s.plain });
    expect((await callApi(lookup, s.key, { query: { code: plain.card.number } })).status).toBe(200);
  });
});

describe("the cashier screen", () => {
  it("refuses the plain number of a rotating-QR card, finds it by its payload, and asks again by id after a change; shows its pass", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating, balance: 40 });
    signedIn = { userId: s.m.owner.id, merchantId: s.m.merchant.id, role: "owner", merchant: s.m.merchant, user: s.m.owner } as StaffContext;
    expect(await tillActions.tillLookupAction(null, form({ q: card.number }))).toMatchObject({ ok: false, code: "qr_required" });
    const found = await tillActions.tillLookupAction(null, form({ q: rotatingPayload(card) }));
    expect(found).toMatchObject({ ok: true, data: { card: { id: card.id }, balance: 40, pass: { kind: "loyalty", values: { number: card.number } } } });
    expect(await tillActions.tillLookupAction(null, form({ q: "", cardId: card.id }))).toMatchObject({ ok: true, data: { card: { id: card.id } } });
    // Another merchant's card is not found by id.
    const other = await createTestCard(s.b);
    expect(await tillActions.tillLookupAction(null, form({ q: "", cardId: other.card.id }))).toMatchObject({ ok: false, code: "card_not_found" });
  });
});

describe("the daily run", () => {
  it("marks only held cards of rotating templates, in batches whose pushes fall due later and later, and resumes from its cursor", async () => {
    const m = await createTestMerchant();
    const rotating = await rotatingTemplate(m, "R");
    const plain = await createTestTemplate(m, { name: "P" });
    const held = [];
    for (let i = 0; i < 3; i++) {
      const { card } = await createTestCard(m, { template: rotating });
      await createTestWalletDevice(card);
      held.push(card);
    }
    const unheld = (await createTestCard(m, { template: rotating })).card;
    const plainHeld = (await createTestCard(m, { template: plain })).card;
    await createTestWalletDevice(plainHeld);
    const ids = [...held.map((c) => c.id), unheld.id, plainHeld.id];
    // The cards' own queued updates (issue, registration) are done with.
    await getDb().delete(walletUpdates).where(inArray(walletUpdates.cardId, ids));
    const tagsBefore = Object.fromEntries((await getDb().select().from(cards).where(inArray(cards.id, ids))).map((c) => [c.id, c.updateTag]));

    // Walk the run from the start, two cards a batch; other tests' templates may come first: walk until ours are done.
    const window = windowOf(new Date());
    let cursor: Parameters<typeof markRotatingPasses>[1] | null = { window, template: null, after: null, batch: 0 };
    const seen: string[] = [];
    let guard = 0;
    while (cursor && guard++ < 200) {
      const before = cursor;
      const { next } = await markRotatingPasses(getDb(), cursor, 2);
      // A batch done twice (a retried job) marks the same cards again and nothing else.
      if (before.template?.id === rotating.id && !before.after) await markRotatingPasses(getDb(), before, 2);
      if (before.template?.id === rotating.id) seen.push(`${before.batch}`);
      cursor = next;
    }
    expect(cursor).toBeNull();
    const after = await getDb().select().from(cards).where(inArray(cards.id, ids));
    const changed = after.filter((c) => c.updateTag !== tagsBefore[c.id]).map((c) => c.id);
    expect(changed.sort()).toEqual(held.map((c) => c.id).sort());
    const queued = await getDb()
      .select()
      .from(walletUpdates)
      .where(and(eq(walletUpdates.merchantId, m.merchant.id), inArray(walletUpdates.cardId, ids)));
    expect(queued.map((q) => q.cardId).sort()).toEqual(held.map((c) => c.id).sort());
    // Two batches of our template (2 + 1 cards): the second's pushes fall due a step later than the first's.
    const byCard = Object.fromEntries(queued.map((q) => [q.cardId, q.dueAt.getTime()]));
    const sorted = held.map((c) => c.id).sort();
    const gap = byCard[sorted[2]] - byCard[sorted[0]];
    expect(gap).toBeGreaterThanOrEqual((QR_DAILY_STEP_SECONDS - 2) * 1000);
    expect(seen.length).toBe(2);
  });

  it("a run still going on the next day stops: that day's own run has begun", async () => {
    const yesterday = windowOf(new Date()) - 1;
    expect(await runRotatingQrJob(getDb(), { window: yesterday, template: null, after: null, batch: 5 })).toEqual({ marked: 0, done: true });
  });

  it("never marks another merchant's cards from a cursor naming A's template with B's id", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating });
    await createTestWalletDevice(card);
    const [before] = await getDb().select({ tag: cards.updateTag }).from(cards).where(eq(cards.id, card.id));
    const { marked } = await markRotatingPasses(
      getDb(),
      { window: windowOf(new Date()), template: { id: s.rotating.id, merchantId: s.b.merchant.id }, after: null, batch: 0 },
      10,
    );
    expect(marked).toBe(0);
    const [afterRow] = await getDb().select({ tag: cards.updateTag }).from(cards).where(eq(cards.id, card.id));
    expect(afterRow.tag).toBe(before.tag);
  });
});
