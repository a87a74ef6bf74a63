import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cardSends, outboxMessages } from "@/db/schema";
import { issueCard, transitionCard } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { getCardSendOrThrow, runCardSend, startCardSend } from "@/lib/cards/bulk-send";
import { sendCard } from "@/lib/cards/send";
import { createTemplate } from "@/lib/templates";
import { createTestMerchant, uniquePhone } from "../factories";

async function setup() {
  const m = await createTestMerchant();
  const template = await createTemplate(getDb(), m.actor, { name: "Coffee", kind: "loyalty" });
  const issue = (customer: { phone: string; email?: string; name?: string }) =>
    issueCard(getDb(), m.merchant.id, staffActor(m.owner.id), { templateId: template.id, customer });
  return { m, template, issue, actor: staffActor(m.owner.id) };
}

const outboxOf = (cardId: string) => getDb().select().from(outboxMessages).where(eq(outboxMessages.cardId, cardId));

describe("sending a card", () => {
  it("by SMS: the holder's phone gets the card's link, and the history says so", async () => {
    const { m, issue, actor } = await setup();
    const phone = uniquePhone();
    const card = await issue({ phone, name: "Anna" });
    await sendCard(getDb(), m.merchant.id, actor, card.id, "sms", "ru");
    const [sms] = await outboxOf(card.id);
    expect(sms).toMatchObject({ channel: "sms", kind: "card", recipient: phone, merchantId: m.merchant.id });
    expect(sms.body).toContain(`/c/${card.linkToken}`);
    expect(sms.body).toContain(m.merchant.name);
    const [event] = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "card.sent")));
    expect(event.data).toEqual({ channel: "sms", to: phone });
  });

  it("by e-mail: an HTML e-mail with the card and both wallet buttons", async () => {
    const { m, issue, actor } = await setup();
    const card = await issue({ phone: uniquePhone(), email: "anna@example.com", name: "Anna" });
    await sendCard(getDb(), m.merchant.id, actor, card.id, "email", "en");
    const [mail] = await outboxOf(card.id);
    expect(mail).toMatchObject({ channel: "email", recipient: "anna@example.com", subject: `${m.merchant.name}: your card` });
    expect(mail.html).toContain(`/c/${card.linkToken}/pass`);
    expect(mail.html).toContain(`/c/${card.linkToken}/google`);
    expect(mail.html).toContain("Add to Apple Wallet");
    expect(mail.html).toContain(card.number);
    expect(mail.body).toContain(`/c/${card.linkToken}`);
  });

  it("refuses a blocked card, and an e-mail to a holder without one", async () => {
    const { m, issue, actor } = await setup();
    const card = await issue({ phone: uniquePhone() });
    await expect(sendCard(getDb(), m.merchant.id, actor, card.id, "email", "en")).rejects.toMatchObject({ message: "cards.send.errors.noEmail" });
    await transitionCard(getDb(), m.merchant.id, actor, card.id, "block");
    await expect(sendCard(getDb(), m.merchant.id, actor, card.id, "sms", "en")).rejects.toMatchObject({ message: "cards.send.errors.blocked" });
    expect(await outboxOf(card.id)).toEqual([]);
  });

  it("another merchant cannot send a card", async () => {
    const { issue } = await setup();
    const card = await issue({ phone: uniquePhone() });
    const b = await setup();
    await expect(sendCard(getDb(), b.m.merchant.id, b.actor, card.id, "sms", "en")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("sending many cards", () => {
  it("sends the chosen cards, skipping those without an e-mail and blocked ones, counting as it goes; never another merchant's", async () => {
    const { m, issue, actor } = await setup();
    const withMail = await issue({ phone: uniquePhone(), email: "a@example.com" });
    const noMail = await issue({ phone: uniquePhone() });
    const blocked = await issue({ phone: uniquePhone(), email: "b@example.com" });
    await transitionCard(getDb(), m.merchant.id, actor, blocked.id, "block");
    const other = await setup();
    const theirs = await other.issue({ phone: uniquePhone(), email: "c@example.com" });
    const send = await startCardSend(getDb(), m.actor, {
      channel: "email",
      target: { cardIds: [withMail.id, noMail.id, blocked.id, theirs.id] },
      locale: "en",
    });
    expect(send.total).toBe(3);
    expect(await runCardSend(getDb(), send.id)).toEqual({ queued: 1, skipped: 2 });
    expect(await getCardSendOrThrow(getDb(), m.merchant.id, send.id)).toMatchObject({ status: "done", processed: 3, queued: 1, skipped: 2 });
    expect(await outboxOf(theirs.id)).toEqual([]);
    // A second run of a finished send does nothing.
    expect(await runCardSend(getDb(), send.id)).toEqual({ queued: 0, skipped: 0 });
    await expect(getCardSendOrThrow(getDb(), other.m.merchant.id, send.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("sends every card the list's filters match, by SMS", async () => {
    const { m, issue, template } = await setup();
    const a = await issue({ phone: uniquePhone(), name: "Filter Match" });
    const b = await issue({ phone: uniquePhone(), name: "Filter Match Too" });
    await issue({ phone: uniquePhone(), name: "Someone Else" });
    const send = await startCardSend(getDb(), m.actor, {
      channel: "sms",
      target: { filters: { search: "filter match", templateId: template.id } },
      locale: "ru",
    });
    expect(send.total).toBe(2);
    await runCardSend(getDb(), send.id);
    expect((await outboxOf(a.id)).length + (await outboxOf(b.id)).length).toBe(2);
    const [row] = await getDb().select().from(cardSends).where(eq(cardSends.id, send.id));
    expect(row.status).toBe("done");
  });

  it("refuses an empty choice", async () => {
    const { m } = await setup();
    await expect(startCardSend(getDb(), m.actor, { channel: "sms", target: { cardIds: [] }, locale: "en" })).rejects.toMatchObject({
      message: "cards.send.errors.nothingChosen",
    });
  });
});
