import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "@/db/rows";
import {
  cardTemplates,
  cardTemplateVersions,
  certificateDefinitions,
  locations,
  type CertificateDefinition,
  type CertificateDefinitionKind,
} from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { getMerchantOrThrow } from "@/lib/merchants";
import { defaultDefinition } from "@/lib/templates/definition";
import { isUuid } from "@/lib/validations/common";
import { definitionSchema, type DefinitionInput, type DefinitionValues } from "@/lib/validations/gift-certificates";

export async function getDefinitionOrThrow(db: Db, merchantId: string, id: string): Promise<CertificateDefinition> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(certificateDefinitions)
        .where(and(eq(certificateDefinitions.id, id), eq(certificateDefinitions.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

/** A definition's kind: a coupon, or a gift certificate (money or a product). */
export const kindOf = (values: Pick<DefinitionValues, "valueKind">): CertificateDefinitionKind => (values.valueKind === "coupon" ? "coupon" : "gift");

/** The definition's template: the merchant's own, of its kind (gift or coupon); or a new one named after the definition. */
async function templateFor(tx: Db, actor: AuditActor, values: DefinitionValues): Promise<string> {
  const kind = kindOf(values);
  if (values.templateId) {
    const [t] = await tx
      .select({ id: cardTemplates.id, kind: cardTemplates.kind })
      .from(cardTemplates)
      .where(and(eq(cardTemplates.id, values.templateId), eq(cardTemplates.merchantId, actor.merchantId), isNull(cardTemplates.archivedAt)));
    if (!t || t.kind !== kind) throw new AppError("validation", "giftCertificates.errors.template", { templateId: "giftCertificates.errors.template" });
    return t.id;
  }
  const merchant = await getMerchantOrThrow(tx, actor.merchantId);
  const definition = defaultDefinition(kind, merchant.name);
  definition.description = { en: values.name, ru: values.name };
  const [template] = await tx.insert(cardTemplates).values({ merchantId: actor.merchantId, name: values.name, kind }).returning();
  await tx.insert(cardTemplateVersions).values({ merchantId: actor.merchantId, templateId: template.id, version: 1, definition, createdBy: actor.userId });
  return template.id;
}

async function checkLocations(tx: Db, merchantId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await tx
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.merchantId, merchantId), inArray(locations.id, ids)));
  if (found.length !== new Set(ids).size)
    throw new AppError("validation", "giftCertificates.errors.locations", { locationIds: "giftCertificates.errors.locations" });
}

function columnsOf(values: DefinitionValues) {
  return {
    name: values.name,
    kind: kindOf(values),
    nominal: values.valueKind === "money" ? values.nominal! : null,
    product: values.valueKind !== "money" ? values.product! : null,
    locationIds: [...new Set(values.locationIds)],
    presentation: values.presentation,
    terms: values.terms,
    validUntil: values.validity.mode === "fixed" ? values.validity.date : null,
    validDays: values.validity.mode === "days" ? values.validity.days : null,
    partialRedemption: values.valueKind === "money" ? values.partialRedemption : false,
    lowPoolThreshold: values.lowPoolThreshold,
    smsTemplate: values.smsTemplate || null,
  };
}

export async function createDefinition(db: Db, actor: AuditActor, input: DefinitionInput): Promise<CertificateDefinition> {
  const values = definitionSchema.parse(input);
  return db.transaction(async (tx) => {
    await checkLocations(tx, actor.merchantId, values.locationIds);
    const templateId = await templateFor(tx, actor, values);
    const [row] = await tx
      .insert(certificateDefinitions)
      .values({ merchantId: actor.merchantId, templateId, ...columnsOf(values) })
      .returning();
    await recordAudit(tx, actor, { action: "certificateDefinition.create", entityType: "certificateDefinition", entityId: row.id, after: { name: row.name } });
    return row;
  });
}

/** Edits a definition; certificates already issued keep their value and expiry (they are cards with their own). */
export async function updateDefinition(db: Db, actor: AuditActor, id: string, input: DefinitionInput): Promise<CertificateDefinition> {
  const values = definitionSchema.parse(input);
  return db.transaction(async (tx) => {
    const before = await getDefinitionOrThrow(tx, actor.merchantId, id);
    // Its certificates or coupons are issued already: a definition keeps its kind.
    if (before.kind !== kindOf(values))
      throw new AppError("validation", "giftCertificates.errors.kindFixed", { valueKind: "giftCertificates.errors.kindFixed" });
    await checkLocations(tx, actor.merchantId, values.locationIds);
    const templateId = values.templateId ? await templateFor(tx, actor, values) : before.templateId;
    const [row] = await tx
      .update(certificateDefinitions)
      .set({ ...columnsOf(values), templateId, updatedAt: new Date() })
      .where(and(eq(certificateDefinitions.id, id), eq(certificateDefinitions.merchantId, actor.merchantId)))
      .returning();
    await recordAudit(tx, actor, {
      action: "certificateDefinition.update",
      entityType: "certificateDefinition",
      entityId: id,
      before: { name: before.name },
      after: { name: row.name },
    });
    return row;
  });
}

export async function setDefinitionArchived(db: Db, actor: AuditActor, id: string, archived: boolean): Promise<CertificateDefinition> {
  await getDefinitionOrThrow(db, actor.merchantId, id);
  const [row] = await db
    .update(certificateDefinitions)
    .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
    .where(and(eq(certificateDefinitions.id, id), eq(certificateDefinitions.merchantId, actor.merchantId)))
    .returning();
  await recordAudit(db, actor, {
    action: archived ? "certificateDefinition.archive" : "certificateDefinition.restore",
    entityType: "certificateDefinition",
    entityId: id,
  });
  return row;
}

/** Per definition: the pool (free / issued / redeemed codes), how many certificates were opened, and the balance outstanding. */
export type DefinitionStats = { free: number; issued: number; redeemed: number; opened: number; outstanding: number; breakage: number };
export type DefinitionRow = CertificateDefinition & DefinitionStats;

const EMPTY_STATS: DefinitionStats = { free: 0, issued: 0, redeemed: 0, opened: 0, outstanding: 0, breakage: 0 };

export async function definitionStats(db: Db, merchantId: string, ids: string[]): Promise<Map<string, DefinitionStats>> {
  const out = new Map<string, DefinitionStats>();
  if (!ids.length) return out;
  const rows = rowsOf<{ definition_id: string; free: number; issued: number; redeemed: number; opened: number; outstanding: string; breakage: string }>(
    await db.execute(sql`
      select cc.definition_id,
        count(*) filter (where cc.status = 'free')::int as free,
        count(*) filter (where cc.status <> 'free')::int as issued,
        count(*) filter (where cc.status = 'redeemed')::int as redeemed,
        count(cc.opened_at)::int as opened,
        coalesce(sum(c.balance) filter (where c.status <> 'expired' and c.block_reason is null), 0)::bigint::text as outstanding,
        -- What expiry wrote off (the ledger's expire transactions): the breakage, per definition.
        coalesce(sum((select sum(lt.redeemed) from ledger_transactions lt where lt.card_id = cc.card_id and lt.merchant_id = ${merchantId}::uuid and lt.type = 'expire')), 0)::bigint::text as breakage
      from certificate_codes cc
      left join cards c on c.id = cc.card_id and c.merchant_id = ${merchantId}::uuid
      where cc.merchant_id = ${merchantId}::uuid and cc.definition_id = any(${`{${ids.join(",")}}`}::uuid[])
      group by cc.definition_id`),
  );
  for (const r of rows)
    out.set(r.definition_id, {
      free: r.free,
      issued: r.issued,
      redeemed: r.redeemed,
      opened: r.opened,
      outstanding: Number(r.outstanding),
      breakage: Number(r.breakage),
    });
  return out;
}

export async function listDefinitions(db: Db, merchantId: string, opts: { archived?: boolean } = {}): Promise<DefinitionRow[]> {
  const rows = await db
    .select()
    .from(certificateDefinitions)
    .where(
      and(
        eq(certificateDefinitions.merchantId, merchantId),
        opts.archived === undefined
          ? undefined
          : opts.archived
            ? sql`${certificateDefinitions.archivedAt} is not null`
            : isNull(certificateDefinitions.archivedAt),
      ),
    )
    .orderBy(desc(certificateDefinitions.createdAt), asc(certificateDefinitions.id))
    .limit(500);
  const stats = await definitionStats(
    db,
    merchantId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, ...(stats.get(r.id) ?? EMPTY_STATS) }));
}

/** The expiry a certificate of this definition gets when issued now. */
export function validityOf(definition: Pick<CertificateDefinition, "validUntil" | "validDays">, now = new Date()): Date | null {
  if (definition.validUntil) return new Date(`${definition.validUntil}T23:59:59Z`);
  if (definition.validDays) return new Date(now.getTime() + definition.validDays * 86_400_000);
  return null;
}

/** What one certificate of the definition holds at issue: its nominal (or an override), or 1 product. */
export const openingValueOf = (definition: Pick<CertificateDefinition, "nominal">, amount?: number): number =>
  definition.nominal === null ? 1 : (amount ?? definition.nominal);
