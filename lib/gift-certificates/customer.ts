import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import { cards, certificateCodes, certificateDefinitions, locations, type CertificateDefinition } from "@/db/schema";
import { record } from "@/lib/card-events";

export type CertificateExtras = {
  definition: CertificateDefinition;
  code: string;
  message: string | null;
  locations: { id: string; name: string; address: string }[];
};

/**
 * What a customer's page shows of the certificates among these cards (by card id): the definition
 * (terms, how to present it, value), the code, the giver's message and the points of sale (its own
 * subset, or all the merchant's). Each card's merchant bounds every join.
 */
export async function certificateExtrasFor(db: Db, cardIds: string[]): Promise<Map<string, CertificateExtras>> {
  const out = new Map<string, CertificateExtras>();
  if (!cardIds.length) return out;
  const rows = await db
    .select({ cardId: certificateCodes.cardId, code: certificateCodes.code, message: certificateCodes.message, definition: certificateDefinitions })
    .from(certificateCodes)
    .innerJoin(cards, and(eq(cards.id, certificateCodes.cardId), eq(cards.merchantId, certificateCodes.merchantId)))
    .innerJoin(
      certificateDefinitions,
      and(eq(certificateDefinitions.id, certificateCodes.definitionId), eq(certificateDefinitions.merchantId, certificateCodes.merchantId)),
    )
    .where(inArray(certificateCodes.cardId, cardIds));
  const merchantIds = [...new Set(rows.map((r) => r.definition.merchantId))];
  const places = merchantIds.length
    ? await db
        .select({ id: locations.id, merchantId: locations.merchantId, name: locations.name, address: locations.address })
        .from(locations)
        .where(inArray(locations.merchantId, merchantIds))
    : [];
  for (const r of rows) {
    const own = places.filter((p) => p.merchantId === r.definition.merchantId);
    const chosen = r.definition.locationIds.length ? own.filter((p) => r.definition.locationIds.includes(p.id)) : own;
    out.set(r.cardId!, {
      definition: r.definition,
      code: r.code,
      message: r.message,
      locations: chosen.map(({ id, name, address }) => ({ id, name, address })),
    });
  }
  return out;
}

/**
 * The first time a recipient's browser shows the certificate (the page's script reports it after
 * render; a link-preview bot's bare GET does not): `openedAt` is set once and `certificate.opened`
 * recorded in the same transaction. Found by the card's public link token, the page's own credential.
 */
export async function markCertificateOpened(db: Db, linkToken: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(linkToken)) return false;
  return db.transaction(async (tx) => {
    const [row] = rowsOf<{ card_id: string; merchant_id: string; definition_id: string }>(
      await tx.execute(sql`
      update certificate_codes cc set opened_at = now()
      from cards c
      where c.link_token = ${linkToken} and cc.card_id = c.id and cc.merchant_id = c.merchant_id and cc.opened_at is null
      returning cc.card_id, cc.merchant_id, cc.definition_id`),
    );
    if (!row) return false;
    await record(tx, { merchantId: row.merchant_id, actor: { type: "system" } }, [
      { type: "certificate.opened", cardId: row.card_id, data: { certificateId: row.card_id, definitionId: row.definition_id } },
    ]);
    return true;
  });
}
