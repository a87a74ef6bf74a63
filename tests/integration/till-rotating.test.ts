import { createHmac } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cards, outboxMessages, walletUpdates } from "@/db/schema";
import { openCodeSecret } from "@/lib/outbox";
import { sendAuthorizationPin } from "@/lib/till/pin";
import { englishMessages, type Translate } from "@/lib/api/messages";
import type { StaffContext } from "@/lib/auth/session";
import { buildPassJson } from "@/lib/passes/apple/pass-json";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { shownText } from "@/lib/templates/till-code";
import { GOOGLE_TOTP_PERIOD_MS, googleRotatingBarcode, hotp, resolveRotatingPayload, rotatingPayload, scanCode, windowOf } from "@/lib/till/qr";
import { markRotatingPasses, nextRotatingTemplate, QR_DAILY_STEP_SECONDS, runRotatingQrJob } from "@/lib/till/qr-daily";
import { createTill } from "@/lib/till/tills";
import { cardToObject } from "@/lib/wallet/google/mapping";
import { loadCardForPass, toPassCard } from "@/lib/wallet/pass";
import { registerDevice } from "@/lib/wallet/service";
import { GET as lookup } from "@/app/api/v1/pos/lookup/route";
import { callApi } from "../support/api-call";
import { createTestCard, createTestMerchant, createTestTemplate, createTestWalletDevice, uniquePhone, type TestMerchant } from "../factories";

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
const googleCtx = (templateId: string) => ({
  issuerId: "1",
  templateId,
  merchantName: "Org",
  currency: "RUB",
  appUrl: "http://localhost:3000",
  logoFileId: null,
  heroFileId: null,
  locations: [],
});

/** What Google's app puts into the barcode at `at`: RFC 6238 (HMAC-SHA1, T0 = 0) with the object's own key and period, written independently of lib/till/qr. */
function googleDraws(barcode: ReturnType<typeof googleRotatingBarcode>, at: number): string {
  const { periodMillis, parameters } = barcode.totpDetails;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / Number(periodMillis))));
  const mac = createHmac("sha1", Buffer.from(parameters[0].key, "hex")).update(counter).digest();
  const offset = mac[19] & 0xf;
  const value = ((mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** parameters[0].valueLength).toString().padStart(parameters[0].valueLength, "0");
  return barcode.valuePattern.replace("{totp_timestamp_seconds}", String(Math.floor(at / 1000))).replace("{totp_value_0}", value);
}
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

    const google = cardToObject(data.kind, data.definition, passCard, googleCtx(data.templateId));
    // Google's object carries Google's own rotating barcode, the same every day (no daily patch), and no static one.
    const body = google.body as { barcode?: unknown; rotatingBarcode: unknown };
    expect(body.barcode).toBeUndefined();
    // The text under it is the card's number, as under the day's payload before.
    expect(body.rotatingBarcode).toEqual({ ...googleRotatingBarcode(card), alternateText: card.number });
    expect(cardToObject(data.kind, data.definition, toPassCard(data.card, data.holderName, data, day2), googleCtx(data.templateId)).body).toEqual(google.body);

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

describe("Google's rotating barcode", () => {
  it("is a QR whose TOTP (SHA-1, 8 digits, the day's period) has a per-card hex key; RFC 6238's own vector holds", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating });
    const other = (await createTestCard(s.m, { template: s.rotating })).card;
    const barcode = googleRotatingBarcode(card);
    expect(barcode).toMatchObject({
      type: "QR_CODE",
      valuePattern: expect.stringMatching(/^CDG\.[A-Za-z0-9_-]{22}\.\{totp_timestamp_seconds\}\.\{totp_value_0\}$/),
      totpDetails: { periodMillis: String(DAY), algorithm: "TOTP_SHA1", parameters: [{ key: expect.stringMatching(/^[0-9a-f]{40}$/), valueLength: 8 }] },
    });
    expect(GOOGLE_TOTP_PERIOD_MS).toBe(DAY);
    expect(googleRotatingBarcode(other).totpDetails.parameters[0].key).not.toBe(barcode.totpDetails.parameters[0].key);
    // RFC 6238 appendix B, SHA-1, T = 59 s.
    expect(hotp(Buffer.from("12345678901234567890"), 1)).toBe("94287082");
  });

  it("the lookup takes what the phone draws now and a period ago, not two periods ago (410), nor a wrong value (422), nor another merchant's (404)", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating });
    const barcode = googleRotatingBarcode(card);
    const now = Date.now();
    for (const at of [now, now - DAY]) {
      expect(await callApi(lookup, s.key, { query: { code: googleDraws(barcode, at) } })).toMatchObject({ status: 200, body: { card: { id: card.id } } });
    }
    expect(await callApi(lookup, s.key, { query: { code: googleDraws(barcode, now - 2 * DAY) } })).toMatchObject({
      status: 410,
      body: { error: { code: "qr_expired", message: t("till.errors.qrExpired") } },
    });
    const good = googleDraws(barcode, now);
    const wrong = good.replace(/\d{8}$/, (v) => String((Number(v) + 1) % 1e8).padStart(8, "0"));
    for (const code of [wrong, good.replace(/\.(\d+)\./, (_, sec) => `.${Number(sec) - 2 * 86_400}.`), good.slice(0, -1)]) {
      expect(await callApi(lookup, s.key, { query: { code } })).toMatchObject({
        status: 422,
        body: { error: { code: "qr_invalid", message: t("till.errors.qrInvalid") } },
      });
    }
    // A Google pass of merchant B's card at merchant A's till.
    const foreign = (await createTestCard(s.b, { template: await rotatingTemplate(s.b, "B rotating") })).card;
    expect(await callApi(lookup, s.key, { query: { code: googleDraws(googleRotatingBarcode(foreign), now) } })).toMatchObject({
      status: 404,
      body: { error: { code: "card_not_found" } },
    });
    // A scanner in the Russian layout types it with ЙЦУКЕН letters.
    const ru = new Map(
      [..."qwertyuiop[]asdfghjkl;'zxcvbnm,./QWERTYUIOPASDFGHJKLZXCVBNM"].map((c, i) => [c, "йцукенгшщзхъфывапролджэячсмитьбю.ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ"[i]]),
    );
    const typed = [...good].map((c) => ru.get(c) ?? c).join("");
    expect(typed).toMatch(/^СВП/);
    expect(await callApi(lookup, s.key, { query: { code: typed } })).toMatchObject({ status: 200, body: { card: { id: card.id } } });
    // The plain number stays refused.
    expect((await callApi(lookup, s.key, { query: { code: card.number } })).status).toBe(422);
  });

  it("with the clock driven: a period's code works through the next period and is expired in the one after; a phone clock far ahead is forged", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating });
    const barcode = googleRotatingBarcode(card);
    const drawn = new Date("2026-11-29T23:59:00Z").getTime();
    const code = googleDraws(barcode, drawn);
    const db = getDb();
    const at = (ms: number) => resolveRotatingPayload(db, s.m.merchant.id, code, new Date(ms));
    await expect(at(drawn)).resolves.toMatchObject({ id: card.id });
    await expect(at(drawn + 2 * 60_000)).resolves.toMatchObject({ id: card.id });
    await expect(at(new Date("2026-11-30T23:59:59Z").getTime())).resolves.toMatchObject({ id: card.id });
    await expect(at(new Date("2026-12-01T00:00:01Z").getTime())).rejects.toMatchObject({ code: "qr_expired" });
    // Drawn by a phone whose clock runs a few minutes ahead: fine; an hour ahead: forged.
    await expect(at(drawn - 5 * 60_000)).resolves.toMatchObject({ id: card.id });
    await expect(at(drawn - 3600_000)).rejects.toMatchObject({ code: "qr_invalid" });
  });
});

describe("the cashier screen", () => {
  it("refuses the plain number of a rotating-QR card, finds it by its payload, and asks again by id after a change; shows its pass", async () => {
    const { card } = await createTestCard(s.m, { template: s.rotating, balance: 40 });
    signedIn = { userId: s.m.owner.id, merchantId: s.m.merchant.id, role: "owner", merchant: s.m.merchant, user: s.m.owner } as StaffContext;
    expect(await tillActions.tillLookupAction(null, form({ q: card.number }))).toMatchObject({ ok: false, code: "qr_required" });
    const found = await tillActions.tillLookupAction(null, form({ q: rotatingPayload(card) }));
    expect(found).toMatchObject({ ok: true, data: { card: { id: card.id }, balance: 40, pass: { kind: "loyalty", values: { number: card.number } } } });
    // The pass preview draws what the customer's pass shows: the day's payload as a QR, never the plain number.
    const slots = (found as { data: { pass: { barcodes: Record<string, { props: { format: string; value: string } }> } } }).data.pass.barcodes;
    expect(Object.keys(slots)).toEqual(["qr:cardNumber"]);
    expect(slots["qr:cardNumber"].props).toMatchObject({ format: "qr", value: rotatingPayload(card) });
    const customerPage = scanCode(card, { barcode: { format: "ean13", source: "cardNumber", altText: "value" }, rotatingQr: true });
    expect(customerPage).toEqual({ format: "qr", value: rotatingPayload(card), rotating: true });
    // Under the QR the preview prints the card's number, as the passes do; a plain template keeps its own format and code.
    expect(shownText(card, { barcode: { format: "ean13", source: "serialNumber" }, rotatingQr: true })).toBe(card.number);
    const plain = await createTestCard(s.m, { template: s.plain });
    const plainFound = await tillActions.tillLookupAction(null, form({ q: plain.card.number }));
    const plainSlots = (plainFound as { data: { pass: { barcodes: Record<string, { props: { value: string } }> } } }).data.pass.barcodes;
    expect(Object.values(plainSlots).map((b) => b.props.value)).toEqual([plain.card.number]);
    expect(await tillActions.tillLookupAction(null, form({ q: "", cardId: card.id }))).toMatchObject({ ok: true, data: { card: { id: card.id } } });
    // Another merchant's card is not found by id.
    const other = await createTestCard(s.b);
    expect(await tillActions.tillLookupAction(null, form({ q: "", cardId: other.card.id }))).toMatchObject({ ok: false, code: "card_not_found" });
  });

  it("a payload out of date answers qr_expired; the screen's PIN by the card's number (as the customer reads it) opens that card", async () => {
    const phone = uniquePhone();
    const { card } = await createTestCard(s.m, { template: s.rotating, phone, balance: 25 });
    signedIn = { userId: s.m.owner.id, merchantId: s.m.merchant.id, role: "owner", merchant: s.m.merchant, user: s.m.owner } as StaffContext;
    const stale = rotatingPayload(card, new Date(Date.now() - 2 * DAY));
    expect(await tillActions.tillLookupAction(null, form({ q: stale }))).toMatchObject({ ok: false, code: "qr_expired" });
    expect(await tillActions.tillPinStartAction(null, form({ number: "" }))).toMatchObject({ ok: false, fieldErrors: { number: expect.any(String) } });
    const started = await tillActions.tillPinStartAction(null, form({ number: card.number.replace(/(.{4})/g, "$1 ") }));
    expect(started).toMatchObject({ ok: true, data: { id: expect.any(String), phoneMasked: null } });
    const { id } = (started as { data: { id: string } }).data;
    expect(await sendAuthorizationPin(getDb(), { merchantId: s.m.merchant.id, id })).toBe(true);
    const [sms] = await getDb()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, s.m.merchant.id), eq(outboxMessages.recipient, phone), eq(outboxMessages.kind, "code")));
    const pin = /\d{6}/.exec(openCodeSecret(sms)?.body ?? "")?.[0] ?? "";
    expect(await tillActions.tillPinVerifyAction(null, form({ id, pin }))).toMatchObject({ ok: true, data: { card: { id: card.id }, balance: 25 } });
  });
});

describe("the daily run", () => {
  it("marks only cards of rotating templates held in Apple Wallet, in batches whose pushes fall due later and later, and resumes from its cursor", async () => {
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
    // Held in Google Wallet only: its object carries Google's rotating barcode, which needs no daily patch.
    const googleHeld = (await createTestCard(m, { template: rotating })).card;
    await registerDevice(
      getDb(),
      { ...googleHeld, passTypeId: `class-${rotating.id}` },
      {
        platform: "google",
        deviceLibraryId: `object-${googleHeld.id}`,
        passTypeId: `class-${rotating.id}`,
        pushToken: null,
        model: "Android",
      },
    );
    const plainHeld = (await createTestCard(m, { template: plain })).card;
    await createTestWalletDevice(plainHeld);
    const ids = [...held.map((c) => c.id), unheld.id, googleHeld.id, plainHeld.id];
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
      if ((before.template ?? (await nextRotatingTemplate(getDb(), null)))?.id === rotating.id && !before.after) await markRotatingPasses(getDb(), before, 2);
      // The run's first batch names no template yet: it starts at the first one, which may be ours.
      const template = before.template ?? (await nextRotatingTemplate(getDb(), null));
      if (template?.id === rotating.id) seen.push(`${before.batch}`);
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
