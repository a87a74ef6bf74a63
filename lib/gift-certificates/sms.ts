import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { localeOfCountry } from "@/i18n/config";
import { rowsOf } from "@/db/rows";
import type { Db } from "@/db";
import { certificateDefinitions, merchants, outboxMessages, type Card, type CertificateDefinition, type Merchant } from "@/db/schema";
import type { EventContext } from "@/lib/card-events";
import { formatMoney } from "@/lib/format/money";
import { cardLinks } from "@/lib/wallet/pass";
import { issueCertificates, type IssuedCertificate, type RecipientRow } from "./issue";

export const DEFAULT_CERTIFICATE_SMS = {
  en: "{merchant}: you have a gift certificate for {amount}. Open it: {link}",
  ru: "{merchant}: вам подарочный сертификат на {amount}. Откройте: {link}",
};
export const DEFAULT_COUPON_SMS = {
  en: "{merchant}: a coupon for you: {amount}. Open it: {link}",
  ru: "{merchant}: купон для вас: {amount}. Откройте: {link}",
};

/** The recipient's SMS: the definition's text (or the default, a coupon's own) with `{merchant}`, `{link}` and `{amount}` (the sum, or the product) filled in. */
export function certificateSmsBody(
  definition: Pick<CertificateDefinition, "smsTemplate" | "nominal" | "product" | "kind">,
  merchant: Merchant,
  card: Card,
): string {
  const locale = localeOfCountry(merchant.country);
  const template = definition.smsTemplate?.trim() || (definition.kind === "coupon" ? DEFAULT_COUPON_SMS : DEFAULT_CERTIFICATE_SMS)[locale];
  const amount =
    definition.nominal === null
      ? definition.product
        ? definition.product[locale] || definition.product.en || definition.product.ru
        : ""
      : formatMoney(card.balance, merchant.currency, locale);
  return template.replace(/\{(merchant|link|amount)\}/g, (_w, k: string) => (k === "merchant" ? merchant.name : k === "link" ? cardLinks(card).page : amount));
}

/**
 * Issues certificates in the caller's transaction and queues each recipient's SMS in the outbox (one
 * statement for all), through the merchant's provider. Returns the outbox ids to dispatch after commit.
 */
export async function issueCertificatesWithSms(
  tx: Db,
  ctx: EventContext,
  definitionId: string,
  rows: RecipientRow[],
  opts: { sendSms: boolean },
): Promise<{ issued: IssuedCertificate[]; outboxIds: string[] }> {
  const issued = await issueCertificates(tx, ctx, definitionId, rows);
  if (!opts.sendSms || !issued.length) return { issued, outboxIds: [] };
  const [definition] = await tx
    .select()
    .from(certificateDefinitions)
    .where(and(eq(certificateDefinitions.id, definitionId), eq(certificateDefinitions.merchantId, ctx.merchantId)));
  const [merchant] = await tx.select().from(merchants).where(eq(merchants.id, ctx.merchantId));
  // One JSON parameter for the whole batch (a phone list queues thousands); the ids are only dispatched.
  const messages = issued.map(({ card, index }) => ({ card_id: card.id, recipient: rows[index].phone, body: certificateSmsBody(definition, merchant, card) }));
  const outboxIds = rowsOf<{ id: string }>(
    await tx.execute(sql`
      insert into ${outboxMessages} (merchant_id, channel, kind, card_id, recipient, body)
      select ${ctx.merchantId}::uuid, 'sms', 'card', r.card_id, r.recipient, r.body
      from jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) as r(card_id uuid, recipient text, body text)
      returning id`),
  ).map((r) => r.id);
  return { issued, outboxIds };
}
