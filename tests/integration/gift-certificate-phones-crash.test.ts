import { and, count, countDistinct, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cardImports, certificateCodes, outboxMessages } from "@/db/schema";
import { IMPORT_BATCH, startCardImport } from "@/lib/cards/import";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { previewPhoneImport } from "@/lib/gift-certificates/phone-import";
import { generatePoolCodes } from "@/lib/gift-certificates/pool";
import { QUEUES } from "@/lib/jobs/queues";
import { killMidBatch, killWorkerProcesses, startWorkerProcess } from "../support/spawn-worker";
import { createTestMerchant, uniquePhone } from "../factories";

afterEach(killWorkerProcesses);

describe.skipIf(!process.env.DATABASE_URL)("a phone list survives a worker killed mid-batch", () => {
  it("the half-written batch rolls back; a fresh worker finishes; every phone has one certificate, every code is used once, one SMS each", async () => {
    const ROWS = IMPORT_BATCH * 2 + IMPORT_BATCH / 2;
    const m = await createTestMerchant();
    const definition = await createDefinition(getDb(), m.actor, {
      name: "Gift",
      valueKind: "money",
      nominal: 50_000,
      presentation: { en: "Show it", ru: "Покажите" },
      terms: { en: "Terms", ru: "Условия" },
      validity: { mode: "days", days: 30 },
    });
    await generatePoolCodes(getDb(), m.actor, definition.id, { count: ROWS, length: 10 });
    const phones = Array.from({ length: ROWS }, () => uniquePhone());
    const { importId } = await previewPhoneImport(getDb(), m.actor, {
      definitionId: definition.id,
      fileName: "phones.csv",
      bytes: new TextEncoder().encode(["phone", ...phones].join("\n")),
    });
    const child = await startWorkerProcess([QUEUES.cardImport]);
    await startCardImport(getDb(), m.actor, importId);
    const row = async () => (await getDb().select().from(cardImports).where(eq(cardImports.id, importId)))[0];
    await killMidBatch(child, async () => (await row()).processed >= IMPORT_BATCH, "card_events", { committed: 90_000, blocked: 30_000 });
    const atKill = await row();
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeLessThan(ROWS);

    await startWorkerProcess([QUEUES.cardImport]);
    await vi.waitFor(async () => expect((await row()).status).toBe("done"), { timeout: 120_000, interval: 250 });
    expect(await row()).toMatchObject({ processed: ROWS, issued: ROWS });
    const [codes] = await getDb()
      .select({ n: count(), cards: countDistinct(certificateCodes.cardId) })
      .from(certificateCodes)
      .where(eq(certificateCodes.definitionId, definition.id));
    expect(codes).toEqual({ n: ROWS, cards: ROWS });
    const [sms] = await getDb()
      .select({ n: count(), to: countDistinct(outboxMessages.recipient) })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.merchantId, m.merchant.id), eq(outboxMessages.channel, "sms")));
    expect(sms).toEqual({ n: ROWS, to: ROWS });
  }, 300_000);
});
