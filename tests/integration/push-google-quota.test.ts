import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { pushEvents, walletUpdates } from "@/db/schema";
import { staffActor } from "@/lib/card-events/actor";
import { createPushEvent } from "@/lib/push-events";
import { GOOGLE_NOTIFY_PER_DAY } from "@/lib/push-events/delivery";
import { runPushEvent } from "@/lib/push-events/run";
import { pushEventInputSchema } from "@/lib/validations/push-events";
import { drainWalletUpdates } from "@/lib/wallet/drain";
import { parseServiceAccount, saveGoogleIssuer } from "@/lib/wallet/google/account";
import { queueWalletUpdates } from "@/lib/wallet/queue";
import { registerDevice } from "@/lib/wallet/service";
import { createTestCard, createTestMerchant, createTestTemplate } from "../factories";
import { googleStandIn, standInServiceAccount } from "../support/google-wallet-stand-in";

/**
 * Google's three notifications a day, end to end: campaigns run, the wallet drain sends each card's
 * message through the real wallet client over HTTP to the local Wallet stand-in, which records the
 * messageType Google would see. The drain's clock is injected.
 */

const google = googleStandIn();
const account = standInServiceAccount();

beforeAll(() => google.start());
afterAll(() => google.stop());

const db = () => getDb();
const HOUR = 3_600_000;

describe("Google messages through the Wallet stand-in", () => {
  it("TEXT_AND_NOTIFY for the first three in 24 h, TEXT for the fourth, and notifying again a day later (injected clock)", async () => {
    expect(GOOGLE_NOTIFY_PER_DAY).toBe(3);
    const m = await createTestMerchant();
    const issuerId = `33880000${String(Date.now()).slice(-9)}${Math.floor(Math.random() * 10)}`;
    await saveGoogleIssuer(db(), m.actor, parseServiceAccount(account, issuerId));
    const template = await createTestTemplate(m, { name: "Coffee" });
    const { card } = await createTestCard(m, { template });
    await registerDevice(
      db(),
      { ...card, passTypeId: `class-${template.id}` },
      { platform: "google", deviceLibraryId: `object-${card.id}`, passTypeId: `class-${template.id}`, pushToken: null, model: "Android" },
    );
    const objectId = `${issuerId}.${card.serialNumber}`;
    const makeDue = () =>
      db()
        .update(walletUpdates)
        .set({ dueAt: sql`now() - interval '1 second'` })
        .where(inArray(walletUpdates.cardId, [card.id]));
    const drainAt = (at: number) => drainWalletUpdates(db(), { google: { baseUrl: google.url, tokenUrl: `${google.url}/token` }, now: () => at });
    // The card's object reaches Google first (inserted, as any change of the card would bring it).
    await queueWalletUpdates(db(), m.merchant.id, { cardIds: [card.id] });
    await makeDue();
    await drainAt(Date.now());
    expect(google.objects.has(objectId)).toBe(true);

    /** A push campaign to the card, run and drained with the clock at `at`; its figures once it has settled. */
    const campaign = async (message: string, at: number) => {
      const event = await createPushEvent(
        db(),
        { merchantId: m.merchant.id, actor: staffActor(m.owner.id) },
        pushEventInputSchema.parse({ type: "push", name: message, message, audience: { templateIds: [template.id] } }),
      );
      await runPushEvent(db(), event.id, { now: new Date(at) });
      await makeDue();
      await drainAt(at);
      await runPushEvent(db(), event.id, { now: new Date(at) });
      const [row] = await db().select().from(pushEvents).where(eq(pushEvents.id, event.id));
      return row;
    };

    // The clock a minute on from now: the history the drain counts (written now) is within its 24 hours.
    const today = Date.now() + 60_000;
    const figures = [];
    for (const n of [1, 2, 3, 4]) figures.push(await campaign(`News ${n}`, today + n * 1000));
    const mine = () => google.messages.filter((x) => x.objectId === objectId);
    expect(mine().map((x) => [x.body, x.messageType])).toEqual([
      ["News 1", "TEXT_AND_NOTIFY"],
      ["News 2", "TEXT_AND_NOTIFY"],
      ["News 3", "TEXT_AND_NOTIFY"],
      ["News 4", "TEXT"],
    ]);
    // Each campaign's figures say how Google showed it.
    expect(figures.map((f) => [f.state, f.googleNotified, f.googleQuiet])).toEqual([
      ["finished", 1, 0],
      ["finished", 1, 0],
      ["finished", 1, 0],
      ["finished", 0, 1],
    ]);

    // 25 hours on (the injected clock), the three have aged out: the next one notifies again.
    await campaign("News 5", today + 25 * HOUR);
    expect(mine().at(-1)).toMatchObject({ body: "News 5", messageType: "TEXT_AND_NOTIFY" });
  });
});
