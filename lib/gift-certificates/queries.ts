import "server-only";
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import {
  cards,
  certificateCodes,
  certificateDefinitions,
  customers,
  type Card,
  type CertificateCode,
  type CertificateDefinitionKind,
  type Customer,
} from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";

export type CertificateRow = { card: Card; customer: Customer | null; code: CertificateCode; kind: CertificateDefinitionKind };
export type CertificateFilters = {
  definitionId?: string;
  phone?: string;
  status?: "active" | "used" | "expired" | "blocked";
  kind?: CertificateDefinitionKind;
};

const definitionOf = (merchantId: string) =>
  and(eq(certificateDefinitions.id, certificateCodes.definitionId), eq(certificateDefinitions.merchantId, merchantId));
export type CertificateKeyset = { micros: string; id: string };

const microsOf = sql<string>`(extract(epoch from ${cards.createdAt}) * 1000000)::bigint::text`;

function statusWhere(status: CertificateFilters["status"]): SQL | undefined {
  const blocked = sql`(${cards.blockReason} is not null or ${cards.status} = 'blocked')`;
  const expired = sql`(${cards.status} = 'expired' or (${cards.expiresAt} is not null and ${cards.expiresAt} <= now()))`;
  switch (status) {
    case "blocked":
      return blocked;
    case "expired":
      return sql`(${expired} and not ${blocked})`;
    case "used":
      return sql`(${cards.balance} = 0 and not ${expired} and not ${blocked})`;
    case "active":
      return sql`(${cards.balance} > 0 and not ${expired} and not ${blocked})`;
    default:
      return undefined;
  }
}

/** The merchant's certificates, newest first, a page at a time (keyset on the card's created_at, id). */
export async function listCertificates(db: Db, merchantId: string, filters: CertificateFilters, page: { after?: CertificateKeyset; limit: number }) {
  const { after } = page;
  const rows = await db
    .select({ card: cards, customer: customers, code: certificateCodes, kind: certificateDefinitions.kind, micros: microsOf })
    .from(certificateCodes)
    .innerJoin(cards, and(eq(cards.id, certificateCodes.cardId), eq(cards.merchantId, merchantId)))
    .innerJoin(certificateDefinitions, definitionOf(merchantId))
    .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
    .where(
      and(
        eq(certificateCodes.merchantId, merchantId),
        filters.definitionId ? eq(certificateCodes.definitionId, filters.definitionId) : undefined,
        filters.phone ? eq(customers.phone, filters.phone) : undefined,
        filters.kind ? eq(certificateDefinitions.kind, filters.kind) : undefined,
        statusWhere(filters.status),
        after
          ? sql`(${cards.createdAt}, ${cards.id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(cards.createdAt), desc(cards.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return {
    rows: shown.map(({ card, customer, code, kind }) => ({ card, customer, code, kind })),
    next: more && last ? { micros: last.micros, id: last.card.id } : null,
  };
}

/** One certificate by its card id, within the merchant: another merchant's is not found. */
export async function getCertificateOrThrow(db: Db, merchantId: string, cardId: string): Promise<CertificateRow> {
  const [row] = isUuid(cardId)
    ? await db
        .select({ card: cards, customer: customers, code: certificateCodes, kind: certificateDefinitions.kind })
        .from(certificateCodes)
        .innerJoin(cards, and(eq(cards.id, certificateCodes.cardId), eq(cards.merchantId, merchantId)))
        .innerJoin(certificateDefinitions, definitionOf(merchantId))
        .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
        .where(and(eq(certificateCodes.cardId, cardId), eq(certificateCodes.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}
