import "server-only";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { currentVersionOf } from "@/db/queries/templates";
import { cards, cardTemplates, cardTemplateVersions, customers, registrationForms, registrationSources, type RegistrationSource } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { getTemplateOrThrow } from "@/lib/templates";
import { floorRefusal } from "@/lib/ledger/levels";
import { programOf } from "@/lib/templates/definition";
import { isUuid } from "@/lib/validations/common";
import { newLinkToken } from "./service";

export type SourceKind = RegistrationSource["kind"];

export type SourceInput = {
  kind: SourceKind;
  formId: string;
  name: string;
  tag: string;
  startsAt: Date | null;
  endsAt: Date | null;
  maxRegistrations: number | null;
  welcomeBonus: number;
  discount: number | null;
  /** A company's starting level: the threshold (minor units) of one of the form's template's levels above the first; null: none. */
  levelFloor: number | null;
  active: boolean;
};

/** How many cards a group's or company's link has issued (its cards carry it as their source). */
// Spelt out: drizzle leaves a single table's columns unqualified, and "id" inside the subquery would be c.id.
const registrations = sql<number>`(select count(*)::int from ${cards} c where c.source_id = registration_sources.id and c.merchant_id = registration_sources.merchant_id)`;

export async function listSources(db: Db, merchantId: string, filter: { kind?: SourceKind; formId?: string } = {}) {
  return db
    .select({ source: registrationSources, formName: registrationForms.name, registrations })
    .from(registrationSources)
    .innerJoin(registrationForms, and(eq(registrationForms.id, registrationSources.formId), eq(registrationForms.merchantId, registrationSources.merchantId)))
    .where(
      and(
        eq(registrationSources.merchantId, merchantId),
        filter.kind ? eq(registrationSources.kind, filter.kind) : undefined,
        filter.formId && isUuid(filter.formId) ? eq(registrationSources.formId, filter.formId) : undefined,
      ),
    )
    .orderBy(asc(registrationSources.kind), desc(registrationSources.createdAt));
}

export async function getSourceOrThrow(db: Db, merchantId: string, id: string) {
  const [row] = isUuid(id)
    ? await db
        .select({ source: registrationSources, registrations })
        .from(registrationSources)
        .where(and(eq(registrationSources.id, id), eq(registrationSources.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

/**
 * The form must be the merchant's; and a company's starting discount must be one its cards can keep:
 * a template whose programme sets the discount itself (a fixed one, or cumulative levels) would
 * overrule it at the first purchase, so it is refused there rather than silently lost. A starting
 * level is the other way round: only a programme with levels has one, and it must be one of them
 * (above the first, which every card has) — or the one the company had already, kept as it was when the
 * merchant has edited the levels since (its threshold still names a level, lib/ledger/levels). A
 * company gives one or the other, never both.
 */
async function checkForm(
  db: Db,
  merchantId: string,
  formId: string,
  start: { discount: number | null; levelFloor: number | null },
  keptFloor: number | null = null,
): Promise<void> {
  const [form] = isUuid(formId)
    ? await db
        .select({ id: registrationForms.id, templateId: registrationForms.templateId })
        .from(registrationForms)
        .where(and(eq(registrationForms.id, formId), eq(registrationForms.merchantId, merchantId)))
    : [];
  if (!form) throw new AppError("validation", "regGroups.errors.form", { formId: "regGroups.errors.form" });
  const { discount, levelFloor } = start;
  if (discount !== null && levelFloor !== null)
    throw new AppError("validation", "errors.validation", { levelFloor: "regGroups.errors.discountOrLevel", discount: "regGroups.errors.discountOrLevel" });
  if (discount === null && levelFloor === null) return;
  const { template, version } = await getTemplateOrThrow(db, merchantId, form.templateId);
  const program = programOf(template.kind, version.definition);
  if (discount !== null && (program?.type === "discount" || program?.type === "cumulative"))
    throw new AppError("validation", "errors.validation", { discount: "regGroups.errors.discountProgramme" });
  const refusal = levelFloor === null ? null : floorRefusal(program, levelFloor);
  if (refusal === "levelUnknown" && levelFloor === keptFloor) return;
  if (refusal) throw new AppError("validation", "errors.validation", { levelFloor: `regGroups.errors.${refusal}` });
}

/** What a source of this kind keeps of the starting values: a group has neither. */
const startOf = (kind: SourceKind, input: Pick<SourceInput, "discount" | "levelFloor">) =>
  kind === "company" ? { discount: input.discount, levelFloor: input.levelFloor } : { discount: null, levelFloor: null };

/** A starting level a company may give: a level above the first of its form's template, named by its threshold (minor units). */
export type StartingLevelOption = { name: string; minTotal: number; discountPercent: number };

/**
 * The merchant's forms for a group's or company's editor, each with the starting levels its template's
 * programme offers (none unless the programme has cumulative levels).
 */
export async function sourceFormOptions(db: Db, merchantId: string): Promise<{ id: string; name: string; levels: StartingLevelOption[] }[]> {
  const rows = await db
    .select({ id: registrationForms.id, name: registrationForms.name, kind: cardTemplates.kind, definition: cardTemplateVersions.definition })
    .from(registrationForms)
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, registrationForms.templateId), eq(cardTemplates.merchantId, merchantId)))
    .innerJoin(cardTemplateVersions, currentVersionOf(merchantId))
    .where(eq(registrationForms.merchantId, merchantId))
    .orderBy(desc(registrationForms.createdAt));
  return rows.map(({ id, name, kind, definition }) => {
    const program = programOf(kind, definition);
    const levels = program?.type === "cumulative" ? program.levels.slice(1) : [];
    return { id, name, levels: levels.map((l) => ({ name: l.name, minTotal: l.minTotal, discountPercent: l.discountPercent })) };
  });
}

const checkPeriod = (input: SourceInput) => {
  if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt)
    throw new AppError("validation", "errors.validation", { endsAt: "regGroups.errors.period" });
};

export async function createSource(db: Db, actor: AuditActor, input: SourceInput): Promise<RegistrationSource> {
  await checkForm(db, actor.merchantId, input.formId, startOf(input.kind, input));
  checkPeriod(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(registrationSources)
      .values({ ...input, merchantId: actor.merchantId, token: newLinkToken(), ...startOf(input.kind, input) })
      .returning();
    await recordAudit(tx, actor, { action: `${input.kind}.create`, entityType: "registration_source", entityId: row.id, after: input });
    return row;
  });
}

/** Changes a group or a company; its kind and link stay. A cap below the cards already issued only stops further ones. */
export async function updateSource(db: Db, actor: AuditActor, id: string, input: Omit<SourceInput, "kind">): Promise<RegistrationSource> {
  const { source: before } = await getSourceOrThrow(db, actor.merchantId, id);
  await checkForm(db, actor.merchantId, input.formId, startOf(before.kind, input), before.levelFloor);
  checkPeriod({ ...input, kind: before.kind });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(registrationSources)
      .set({ ...input, ...startOf(before.kind, input), updatedAt: new Date() })
      .where(and(eq(registrationSources.id, id), eq(registrationSources.merchantId, actor.merchantId)))
      .returning();
    if (!row) throw new NotFoundError();
    await recordAudit(tx, actor, { action: `${before.kind}.update`, entityType: "registration_source", entityId: id, before, after: row });
    return row;
  });
}

export const SOURCE_CARDS_PAGE_SIZE = 50;

/** A company's (or group's) enrolled cards, newest first, with their holders. */
export async function listSourceCards(db: Db, merchantId: string, sourceId: string, page = 1) {
  const where = and(eq(cards.merchantId, merchantId), eq(cards.sourceId, sourceId));
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: cards.id,
        number: cards.number,
        status: cards.status,
        balance: cards.balance,
        createdAt: cards.createdAt,
        holder: customers.name,
        phone: customers.phone,
      })
      .from(cards)
      .leftJoin(customers, and(eq(customers.id, cards.customerId), eq(customers.merchantId, merchantId)))
      .where(where)
      .orderBy(desc(cards.createdAt), desc(cards.id))
      .limit(SOURCE_CARDS_PAGE_SIZE)
      .offset((page - 1) * SOURCE_CARDS_PAGE_SIZE),
    db.select({ total: count() }).from(cards).where(where),
  ]);
  return { rows, total };
}

/** The groups and companies as report sources (`group:<id>`, `company:<id>`), for the reports' filter. */
export async function sourceOptions(db: Db, merchantId: string): Promise<{ value: string; kind: SourceKind; name: string }[]> {
  const rows = await db
    .select({ id: registrationSources.id, kind: registrationSources.kind, name: registrationSources.name })
    .from(registrationSources)
    .where(eq(registrationSources.merchantId, merchantId))
    .orderBy(asc(registrationSources.kind), asc(registrationSources.name));
  return rows.map((r) => ({ value: `${r.kind}:${r.id}`, kind: r.kind, name: r.name }));
}
