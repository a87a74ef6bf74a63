import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { getDb } from "@/db";
import { closeAllApnsClients } from "@/lib/adapters/apns/client";
import { staffActor } from "@/lib/card-events/actor";
import { buildPassJson } from "@/lib/passes/apple/pass-json";
import { createPushEvent } from "@/lib/push-events";
import { pushEventInputSchema } from "@/lib/validations/push-events";
import { loadCardForPass, toPassCard } from "@/lib/wallet/pass";
import { createTestCard, createTestMerchant, createTestTemplate } from "../factories";
import { startApnsStandIn, type ApnsStandIn } from "./apns-stand-in";

// What the push-event and wallet-drain tests share: the owner's context, a parsed event input, the
// queue made due, a card's pass as built, and the APNs stand-in for the file.

type M = Awaited<ReturnType<typeof createTestMerchant>>;
export type TestMerchant = M;
export const ctxOf = (m: M) => ({ merchantId: m.merchant.id, actor: staffActor(m.owner.id) });
export const input = (raw: Record<string, unknown>) => pushEventInputSchema.parse(raw);

/** Makes queued wallet updates due now (the drain waits out its coalescing window otherwise). */
/** Every wallet queue row due, and every push batch's lease run out (as if waited for). */
export const makeDue = async () => {
  await getDb().execute(sql`update wallet_updates set due_at = now() - interval '1 second'`);
  await getDb().execute(sql`update push_event_batches set lease_until = now() - interval '1 second'`);
};

type BackField = { key: string; label: string; value: unknown; changeMessage?: string };

/** A card's pass.json and its strings as the pass build makes them. */
export async function builtPass(merchantId: string, cardId: string) {
  const data = await loadCardForPass(getDb(), merchantId, cardId);
  const { passJson, strings } = buildPassJson({
    kind: data.kind,
    definition: data.definition,
    card: toPassCard(data.card, data.holderName, data),
    organizationName: data.merchant.name,
    currency: data.merchant.currency,
    passTypeId: "pass.test",
    teamId: "TEAM",
    appUrl: "https://example.test",
    locations: [],
  });
  return { passJson: passJson as Record<string, unknown> & { storeCard: { backFields: BackField[] } }, strings };
}

/** An APNs stand-in started before the file's tests and closed after them (with the clients that used it). */
export function apnsStandInForFile(): () => ApnsStandIn {
  let apns: ApnsStandIn;
  beforeAll(async () => {
    apns = await startApnsStandIn();
  });
  afterAll(async () => {
    await closeAllApnsClients();
    await apns.close();
  });
  return () => apns;
}

/** A merchant with one card of a template and a push event for it, scheduled an hour from now. */
export async function cardWithScheduledPush() {
  const m = await createTestMerchant();
  const template = await createTestTemplate(m);
  const { card } = await createTestCard(m, { template });
  const event = await createPushEvent(
    getDb(),
    ctxOf(m),
    input({ type: "push", message: "News", audience: { templateIds: [template.id] }, startAt: new Date(Date.now() + 3_600_000) }),
  );
  return { m, template, card, event };
}
