import "server-only";
import type { Db } from "@/db";
import type { MessagingSettings } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { renderCardEmail } from "@/lib/messaging/card-email";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { renderTemplate, smsTemplate } from "@/lib/messaging/templates";
import { dispatchOutbox, queueMessage } from "@/lib/outbox";
import { cardLinks, loadCardForPass } from "@/lib/wallet/pass";
import type { CardActor } from "./actor";
import { record } from "@/lib/card-events";

export type SendChannel = "sms" | "email";

/**
 * Queues one card's message to its holder (SMS with the card's link, or the card e-mail) and notes it
 * in the card's history, in the caller's transaction. Returns the outbox id to dispatch after commit,
 * or why the card cannot be sent (no phone / e-mail, blocked). A batch passes the merchant's messaging
 * settings in, read once for all its cards.
 */
export async function queueCardMessage(
  tx: Db,
  merchantId: string,
  actor: CardActor,
  cardId: string,
  channel: SendChannel,
  locale: string,
  settings?: MessagingSettings,
): Promise<{ outboxId: string } | { skipped: "blocked" | "noPhone" | "noEmail" }> {
  const data = await loadCardForPass(tx, merchantId, cardId);
  if (data.card.blockReason) return { skipped: "blocked" };
  const { customerPhone, customerEmail } = data;
  const links = cardLinks(data.card);
  let outboxId: string;
  let to: string;
  if (channel === "sms") {
    if (!customerPhone) return { skipped: "noPhone" };
    const { smsLinkTemplate } = settings ?? (await getMessagingSettings(tx, merchantId));
    const body = renderTemplate(smsTemplate("link", smsLinkTemplate, locale), { link: links.page, merchant: data.merchant.name });
    to = customerPhone;
    outboxId = await queueMessage(tx, { merchantId, channel: "sms", kind: "card", cardId, recipient: to, body });
  } else {
    if (!customerEmail) return { skipped: "noEmail" };
    const logoUrl = data.merchant.logoFileId ? `${getEnv().APP_URL.replace(/\/$/, "")}/api/files/${data.merchant.logoFileId}` : null;
    const mail = renderCardEmail({
      locale,
      merchantName: data.merchant.name,
      logoUrl,
      holderName: data.holderName,
      number: data.card.number,
      definition: data.definition,
      links,
    });
    to = customerEmail;
    outboxId = await queueMessage(tx, {
      merchantId,
      channel: "email",
      kind: "card",
      cardId,
      recipient: to,
      subject: mail.subject,
      body: mail.text,
      html: mail.html,
    });
  }
  await record(tx, { merchantId, actor }, [{ type: "card.sent", cardId, data: { channel, to } }]);
  return { outboxId };
}

const REFUSAL = { blocked: "cards.send.errors.blocked", noPhone: "cards.send.errors.noPhone", noEmail: "cards.send.errors.noEmail" } as const;

/** Sends one card from its page; a card that cannot be sent says why. */
export async function sendCard(db: Db, merchantId: string, actor: CardActor, cardId: string, channel: SendChannel, locale: string): Promise<string> {
  const outcome = await db.transaction((tx) => queueCardMessage(tx, merchantId, actor, cardId, channel, locale));
  if ("skipped" in outcome) throw new AppError("validation", REFUSAL[outcome.skipped]);
  await dispatchOutbox([outcome.outboxId]);
  return outcome.outboxId;
}
