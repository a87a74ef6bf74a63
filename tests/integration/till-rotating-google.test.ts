import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { walletUpdates, type Card } from "@/db/schema";
import { QUEUES } from "@/lib/jobs/queues";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { googleRotatingBarcode } from "@/lib/till/qr";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { parseServiceAccount, saveGoogleIssuer } from "@/lib/wallet/google/account";
import { objectPatch } from "@/lib/wallet/google/mapping";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { registerDevice } from "@/lib/wallet/service";
import { createTestCard, createTestMerchant, createTestTemplate, type TestMerchant } from "../factories";
import { googleStandIn, standInServiceAccount } from "../support/google-wallet-stand-in";
import { killWorkerProcesses, startWorkerProcess } from "../support/spawn-worker";

/**
 * A template turning its rotating QR on (or off) reaches the Google objects saved before: the save
 * queues every held card for the wallet drain (pg-boss, batches claimed under a lease), and the
 * drain's patch names the barcode the object no longer carries as null, as Google's patch needs.
 */

afterEach(killWorkerProcesses);

const google = googleStandIn();
const account = standInServiceAccount();

beforeAll(() => google.start());
afterAll(() => google.stop());

const drain = () => drainWalletUpdates(getDb(), { google: { baseUrl: google.url, tokenUrl: `${google.url}/token` } });
/** Every queued update due now: the coalescing window, or a dead worker's lease, has passed. */
const makeDue = (ids: string[]) =>
  getDb()
    .update(walletUpdates)
    .set({ dueAt: sql`now() - interval '1 second'` })
    .where(inArray(walletUpdates.cardId, ids));

async function setRotating(m: TestMerchant, templateId: string, rotatingQr: boolean) {
  const { template, version } = await getTemplateOrThrow(getDb(), m.merchant.id, templateId);
  await saveTemplateVersion(getDb(), m.actor, templateId, { name: template.name, definition: { ...version.definition, rotatingQr } });
}

/** A merchant with a Google issuer and `n` cards of one plain template, each saved in Google Wallet (its object inserted with the static barcode). */
async function heldInGoogle(n: number) {
  const m = await createTestMerchant();
  const issuerId = `33880000${String(Date.now()).slice(-9)}${Math.floor(Math.random() * 10)}`;
  await saveGoogleIssuer(getDb(), m.actor, parseServiceAccount(account, issuerId));
  const template = await createTestTemplate(m, { name: "Coffee" });
  const cards: Card[] = [];
  for (let i = 0; i < n; i++) {
    const { card } = await createTestCard(m, { template });
    await registerDevice(
      getDb(),
      { ...card, passTypeId: `class-${template.id}` },
      { platform: "google", deviceLibraryId: `object-${card.id}`, passTypeId: `class-${template.id}`, pushToken: null, model: "Android" },
    );
    cards.push(card);
  }
  const ids = cards.map((c) => c.id);
  // Their objects reach Google as any change of theirs would bring them (inserted: Google has none yet).
  await queueWalletUpdates(getDb(), m.merchant.id, { cardIds: ids });
  await makeDue(ids);
  await drain();
  const objectOf = (card: Card) => google.objects.get(`${issuerId}.${card.serialNumber}`);
  for (const card of cards) expect(objectOf(card)).toMatchObject({ barcode: { type: "QR_CODE", value: card.number } });
  return { m, template, cards, ids, objectOf };
}

describe("a template's rotating QR turned on or off", () => {
  it("patches the Google objects saved before: Google's rotating barcode in, the static one cleared; and back again", async () => {
    const g = await heldInGoogle(3);
    await setRotating(g.m, g.template.id, true);
    // The save queued every held card for the drain; nothing has reached Google yet.
    expect((await getDb().select().from(walletUpdates).where(inArray(walletUpdates.cardId, g.ids))).length).toBe(3);
    await makeDue(g.ids);
    expect((await drain()).googleUpdates).toBe(3);
    for (const card of g.cards) {
      const object = g.objectOf(card)!;
      expect(object.rotatingBarcode).toEqual({ ...googleRotatingBarcode(card), alternateText: card.number });
      // No static, copyable barcode left for Google to fall back on.
      expect(object).not.toHaveProperty("barcode");
    }

    await setRotating(g.m, g.template.id, false);
    await makeDue(g.ids);
    expect((await drain()).googleUpdates).toBe(3);
    for (const card of g.cards) {
      expect(g.objectOf(card)).toMatchObject({ barcode: { type: "QR_CODE", value: card.number } });
      expect(g.objectOf(card)).not.toHaveProperty("rotatingBarcode");
    }
    expect(await getDb().select().from(walletUpdates).where(inArray(walletUpdates.cardId, g.ids))).toEqual([]);
  });

  it("a patch names the barcode the object does not carry as null, and only that one", () => {
    const rotating = { type: "loyaltyObject" as const, body: { id: "1.a", rotatingBarcode: { type: "QR_CODE" } } };
    const plain = { type: "loyaltyObject" as const, body: { id: "1.b", barcode: { type: "QR_CODE", value: "7" } } };
    expect(objectPatch(rotating as never)).toEqual({ id: "1.a", rotatingBarcode: { type: "QR_CODE" }, barcode: null });
    expect(objectPatch(plain as never)).toEqual({ id: "1.b", barcode: { type: "QR_CODE", value: "7" }, rotatingBarcode: null });
  });

  // A worker killed with SIGKILL needs a second process: PostgreSQL only.
  it.skipIf(!process.env.DATABASE_URL)(
    "a worker killed mid-batch loses nothing: its claimed cards come back when their lease ends, and the next drain patches them",
    async () => {
      const g = await heldInGoogle(3);
      // The worker process reads Google's endpoints from its environment.
      vi.stubEnv("GOOGLE_WALLET_API_URL", google.url);
      vi.stubEnv("GOOGLE_OAUTH_TOKEN_URL", `${google.url}/token`);
      const child = await startWorkerProcess([QUEUES.walletDrain]);
      vi.unstubAllEnvs();
      const before = google.calls.length;
      google.holdWhile((req) => req.method === "PATCH");
      await setRotating(g.m, g.template.id, true);
      await makeDue(g.ids);
      // The save woke the drain; the worker claims the batch and is killed while Google has it.
      await expect.poll(() => google.calls.slice(before).filter((c) => c.method === "PATCH").length, { timeout: 30_000 }).toBeGreaterThan(0);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      google.holdWhile(null);
      for (const card of g.cards) expect(g.objectOf(card)).toHaveProperty("barcode");
      // Under the dead worker's lease the cards wait; once it ends they are due again, and nothing was lost.
      const queued = await getDb().select().from(walletUpdates).where(inArray(walletUpdates.cardId, g.ids));
      expect(queued.length).toBe(3);
      expect(queued.every((q) => q.dueAt.getTime() > Date.now())).toBe(true);
      await makeDue(g.ids);
      expect((await drain()).googleUpdates).toBe(3);
      for (const card of g.cards) {
        expect(g.objectOf(card)).toHaveProperty("rotatingBarcode");
        expect(g.objectOf(card)).not.toHaveProperty("barcode");
      }
      expect(await getDb().select().from(walletUpdates).where(eq(walletUpdates.merchantId, g.m.merchant.id))).toEqual([]);
    },
    90_000,
  );
});
