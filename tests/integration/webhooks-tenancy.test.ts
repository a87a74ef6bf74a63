import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { getDeliveryOrThrow, listDeliveries, replayDelivery, replayFailedSince, sendTestEvent } from "@/lib/webhooks/deliveries";
import { createEndpoint, deleteEndpoint, getEndpointOrThrow, listEndpoints, rotateEndpointSecret, updateEndpoint } from "@/lib/webhooks/endpoints";
import { createTestCard, createTestMerchant } from "../factories";

process.env.WEBHOOK_ALLOW_LOOPBACK = "true";

describe("webhooks — tenancy (the services the cabinet and the API both call)", () => {
  it("merchant B can neither see nor change merchant A's endpoints and deliveries, and A's events never reach B's endpoints", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { endpoint } = await createEndpoint(db, a.actor, { url: "http://127.0.0.1:9/a", events: ["*"] });
    const { endpoint: bEndpoint } = await createEndpoint(db, b.actor, { url: "http://127.0.0.1:9/b", events: ["*"] });
    const delivery = await sendTestEvent(db, a.merchant.id, endpoint.id);

    const refused = [
      () => getEndpointOrThrow(db, b.merchant.id, endpoint.id),
      () => updateEndpoint(db, b.actor, endpoint.id, { enabled: false }),
      () => rotateEndpointSecret(db, b.actor, endpoint.id),
      () => deleteEndpoint(db, b.actor, endpoint.id),
      () => sendTestEvent(db, b.merchant.id, endpoint.id),
      () => listDeliveries(db, b.merchant.id, endpoint.id, { limit: 10 }),
      () => getDeliveryOrThrow(db, b.merchant.id, delivery.id),
      () => replayDelivery(db, b.merchant.id, delivery.id),
      () => replayFailedSince(db, b.merchant.id, endpoint.id, new Date(0)),
    ];
    for (const attempt of refused) await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
    expect((await listEndpoints(db, b.merchant.id)).map((e) => e.id)).toEqual([bEndpoint.id]);
    expect(await getEndpointOrThrow(db, a.merchant.id, endpoint.id)).toMatchObject({ enabled: true, secretSealed: endpoint.secretSealed });

    await createTestCard(a);
    expect((await listDeliveries(db, b.merchant.id, bEndpoint.id, { limit: 10 })).rows).toEqual([]);
    expect((await listDeliveries(db, a.merchant.id, endpoint.id, { limit: 10 })).rows.map((d) => d.eventType)).toContain("card.issued");
  });

  it("a sealed secret copied onto another merchant's endpoint does not open", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { endpoint } = await createEndpoint(db, a.actor, { url: "http://127.0.0.1:9/a", events: ["*"] });
    const { endpoint: other } = await createEndpoint(db, b.actor, { url: "http://127.0.0.1:9/b", events: ["*"] });
    const { signingSecrets } = await import("@/lib/webhooks/endpoints");
    expect(() => signingSecrets({ ...other, secretSealed: endpoint.secretSealed })).toThrow();
    expect(signingSecrets(endpoint)[0]).toMatch(/^whsec_/);
  });
});
