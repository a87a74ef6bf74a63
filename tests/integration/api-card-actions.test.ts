import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, outboxMessages } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import { GET as getCard, DELETE as deleteCard } from "@/app/api/v1/cards/[id]/route";
import { POST as block } from "@/app/api/v1/cards/[id]/block/route";
import { POST as unblock } from "@/app/api/v1/cards/[id]/unblock/route";
import { POST as move } from "@/app/api/v1/cards/[id]/move/route";
import { POST as sendCard } from "@/app/api/v1/cards/[id]/send/route";
import { GET as getTemplate } from "@/app/api/v1/templates/[id]/route";
import { createTestCard, createTestMerchant, createTestTemplate } from "../factories";
import { callApi } from "../support/api-call";

async function withCard() {
  const m = await createTestMerchant();
  const { key } = await createApiKey(getDb(), m.actor, { name: "CRM", scopes: ["cards:read", "cards:write", "templates:read"] });
  const { card, template } = await createTestCard(m);
  const act = (route: unknown, body?: unknown, headers?: Record<string, string>, id = card.id) =>
    callApi(route, key, { method: "POST", path: `/api/v1/cards/${id}/x`, params: { id }, body, headers });
  return { ...m, key, card, template, act };
}

describe("REST API — card actions", () => {
  it("blocks and unblocks a card; doing either twice is a conflict", async () => {
    const m = await withCard();
    const blocked = await m.act(block);
    expect(blocked).toMatchObject({ status: 200, body: { id: m.card.id, status: "blocked" } });
    expect(await m.act(block)).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
    const unblocked = await m.act(unblock);
    expect(unblocked.status).toBe(200);
    expect(unblocked.body.status).not.toBe("blocked");
    expect(await m.act(unblock)).toMatchObject({ status: 409, body: { error: { code: "conflict" } } });
  });

  it("a block retried with the same Idempotency-Key answers the first result instead of a conflict", async () => {
    const m = await withCard();
    const first = await m.act(block, undefined, { "idempotency-key": "b-1" });
    const again = await m.act(block, undefined, { "idempotency-key": "b-1" });
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("moves a card to another template, refusing the same one, an unknown or another merchant's", async () => {
    const m = await withCard();
    const target = await createTestTemplate(m);
    const moved = await m.act(move, { templateId: target.id });
    expect(moved).toMatchObject({ status: 200, body: { id: m.card.id, templateId: target.id, number: m.card.number } });
    expect(await m.act(move, { templateId: target.id })).toMatchObject({
      status: 422,
      body: { error: { code: "validation", details: [{ path: "templateId" }] } },
    });
    expect(await m.act(move, { templateId: randomUUID() })).toMatchObject({ status: 422, body: { error: { details: [{ path: "templateId" }] } } });
    expect(await m.act(move, { templateId: "x" })).toMatchObject({ status: 422, body: { error: { details: [{ path: "templateId" }] } } });
    expect(await m.act(move, "{nope")).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    const other = await createTestMerchant();
    const theirs = await createTestTemplate(other);
    expect(await m.act(move, { templateId: theirs.id })).toMatchObject({ status: 422, body: { error: { details: [{ path: "templateId" }] } } });
  });

  it("sends a card by SMS (queued in the outbox, card.sent recorded); no e-mail on file is a 422", async () => {
    const m = await withCard();
    const sent = await m.act(sendCard, { channel: "sms", locale: "en" });
    expect(sent).toMatchObject({ status: 202, body: { channel: "sms", messageId: expect.any(String) } });
    const [message] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, sent.body.messageId));
    expect(message).toMatchObject({ channel: "sms", cardId: m.card.id, merchantId: m.merchant.id });
    expect(await m.act(sendCard, { channel: "email" })).toMatchObject({ status: 422, body: { error: { code: "validation" } } });
    expect(await m.act(sendCard, { channel: "pigeon" })).toMatchObject({ status: 422, body: { error: { details: [{ path: "channel" }] } } });
    const types = (await getDb().select({ type: cardEvents.type }).from(cardEvents).where(eq(cardEvents.cardId, m.card.id))).map((e) => e.type);
    expect(types).toContain("card.sent");
  });

  it("deletes a card for good; its events stay with card.deleted; deleting again is 404", async () => {
    const m = await withCard();
    const del = (id = m.card.id) => callApi(deleteCard, m.key, { method: "DELETE", params: { id } });
    expect(await del()).toMatchObject({ status: 200, body: { id: m.card.id, deleted: true } });
    expect(await getDb().select().from(cards).where(eq(cards.id, m.card.id))).toEqual([]);
    expect((await getDb().select({ type: cardEvents.type }).from(cardEvents).where(eq(cardEvents.cardId, m.card.id))).map((e) => e.type)).toContain(
      "card.deleted",
    );
    expect(await del()).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await del("nope")).toMatchObject({ status: 404 });
  });

  it("another merchant's card cannot be blocked, moved, sent or deleted: 404 and nothing changes", async () => {
    const a = await withCard();
    const b = await withCard();
    for (const res of [
      await b.act(block, undefined, undefined, a.card.id),
      await b.act(unblock, undefined, undefined, a.card.id),
      await b.act(move, { templateId: b.template.id }, undefined, a.card.id),
      await b.act(sendCard, { channel: "sms" }, undefined, a.card.id),
      await callApi(deleteCard, b.key, { method: "DELETE", params: { id: a.card.id } }),
    ])
      expect(res).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const still = await callApi(getCard, a.key, { params: { id: a.card.id } });
    expect(still.body).toMatchObject({ status: a.card.status, templateId: a.template.id });
  });

  it("reads a template with its current version's design; another merchant's is 404", async () => {
    const a = await withCard();
    const b = await withCard();
    const res = await callApi(getTemplate, a.key, { params: { id: a.template.id } });
    expect(res).toMatchObject({ status: 200, body: { id: a.template.id, version: 1, archived: false, definition: { barcode: expect.any(Object) } } });
    expect(await callApi(getTemplate, b.key, { params: { id: a.template.id } })).toMatchObject({ status: 404 });
    expect(await callApi(getTemplate, b.key, { params: { id: "x" } })).toMatchObject({ status: 404 });
  });
});
