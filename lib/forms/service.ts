import "server-only";
import { randomBytes } from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import {
  cardTemplates,
  formSubmissions,
  merchants,
  registrationForms,
  registrationSources,
  type Merchant,
  type RegistrationForm,
  type RegistrationSource,
} from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { getTemplateOrThrow } from "@/lib/templates";
import { isUuid } from "@/lib/validations/common";
import { versionConsents, type FormDefinition } from "./definition";

export type FormInput = { name: string; templateId: string; active: boolean; definition: FormDefinition };

/** A public link's token: 16 random bytes, so links cannot be walked. */
export const newLinkToken = () => randomBytes(16).toString("base64url");

async function checkTemplate(db: Db, merchantId: string, templateId: string): Promise<void> {
  const { template } = await getTemplateOrThrow(db, merchantId, templateId).catch(() => {
    throw new AppError("validation", "forms.errors.template", { templateId: "forms.errors.template" });
  });
  if (template.archivedAt) throw new AppError("validation", "cards.errors.templateArchived", { templateId: "cards.errors.templateArchived" });
  if (template.kind === "gift") throw new AppError("validation", "forms.errors.template", { templateId: "forms.errors.template" });
}

export async function listForms(db: Db, merchantId: string) {
  return db
    .select({
      form: registrationForms,
      templateName: cardTemplates.name,
      submissions: sql<number>`(select count(*)::int from ${formSubmissions} s where s.form_id = registration_forms.id and s.merchant_id = ${merchantId}::uuid)`,
    })
    .from(registrationForms)
    .innerJoin(cardTemplates, and(eq(cardTemplates.id, registrationForms.templateId), eq(cardTemplates.merchantId, registrationForms.merchantId)))
    .where(eq(registrationForms.merchantId, merchantId))
    .orderBy(desc(registrationForms.createdAt));
}

/** How many times a form has been filled in. */
export async function submissionCount(db: Db, merchantId: string, formId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(formSubmissions)
    .where(and(eq(formSubmissions.merchantId, merchantId), eq(formSubmissions.formId, formId)));
  return n;
}

export async function getFormOrThrow(db: Db, merchantId: string, id: string): Promise<RegistrationForm> {
  const [row] = isUuid(id)
    ? await db
        .select()
        .from(registrationForms)
        .where(and(eq(registrationForms.id, id), eq(registrationForms.merchantId, merchantId)))
    : [];
  if (!row) throw new NotFoundError();
  return row;
}

export async function createForm(db: Db, actor: AuditActor, input: FormInput & { coverFileId?: string | null }): Promise<RegistrationForm> {
  await checkTemplate(db, actor.merchantId, input.templateId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(registrationForms)
      .values({
        merchantId: actor.merchantId,
        name: input.name,
        token: newLinkToken(),
        templateId: input.templateId,
        active: input.active,
        definition: { ...input.definition, consents: versionConsents([], input.definition.consents) },
        coverFileId: input.coverFileId ?? null,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: "form.create",
      entityType: "registration_form",
      entityId: row.id,
      after: { name: row.name, templateId: row.templateId },
    });
    return row;
  });
}

/**
 * Saves a form as a new version. A consent box whose text changed gets the next text version; the
 * records of customers who agreed to an earlier one keep naming it (consent_records).
 */
export async function updateForm(db: Db, actor: AuditActor, id: string, input: FormInput & { coverFileId?: string | null }): Promise<RegistrationForm> {
  await checkTemplate(db, actor.merchantId, input.templateId);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(registrationForms)
      .where(and(eq(registrationForms.id, id), eq(registrationForms.merchantId, actor.merchantId)))
      .for("update");
    if (!before) throw new NotFoundError();
    const definition = { ...input.definition, consents: versionConsents(before.definition.consents, input.definition.consents) };
    const [row] = await tx
      .update(registrationForms)
      .set({
        name: input.name,
        templateId: input.templateId,
        active: input.active,
        definition,
        ...(input.coverFileId !== undefined && { coverFileId: input.coverFileId }),
        version: before.version + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(registrationForms.id, id), eq(registrationForms.merchantId, actor.merchantId)))
      .returning();
    await recordAudit(tx, actor, {
      action: "form.update",
      entityType: "registration_form",
      entityId: id,
      before: { name: before.name, version: before.version },
      after: { name: row.name, version: row.version },
    });
    return row;
  });
}

export type PublicForm = { form: RegistrationForm; merchant: Merchant; source: RegistrationSource | null };

/** What a public link names: a form's own token, or a group's or company's (which leads to its form). */
export async function findPublicForm(db: Db, token: string): Promise<PublicForm | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) return null;
  const [own] = await db
    .select({ form: registrationForms, merchant: merchants })
    .from(registrationForms)
    .innerJoin(merchants, eq(merchants.id, registrationForms.merchantId))
    .where(eq(registrationForms.token, token));
  if (own) return { ...own, source: null };
  const [viaSource] = await db
    .select({ form: registrationForms, merchant: merchants, source: registrationSources })
    .from(registrationSources)
    .innerJoin(registrationForms, and(eq(registrationForms.id, registrationSources.formId), eq(registrationForms.merchantId, registrationSources.merchantId)))
    .innerJoin(merchants, eq(merchants.id, registrationSources.merchantId))
    .where(eq(registrationSources.token, token));
  return viaSource ?? null;
}

/**
 * Whether a link takes registrations now, and why not: the form switched off, the group or company
 * switched off, before its start or after its end. (The cap is checked under the source's lock when a
 * card is issued, in lib/forms/submit.)
 */
export function linkRefusal(link: Pick<PublicForm, "form" | "source">, now = new Date()): string | null {
  if (!link.form.active) return "forms.errors.closed";
  const s = link.source;
  if (!s) return null;
  if (!s.active) return "forms.errors.closed";
  if (s.startsAt && now < s.startsAt) return "forms.errors.notYet";
  if (s.endsAt && now > s.endsAt) return "forms.errors.ended";
  return null;
}
