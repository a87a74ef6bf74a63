import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { merchants, type Merchant } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import { getTemplateOrThrow } from "@/lib/templates";

/** Whether a customer may get a card on the merchant's own page now: the one rule every surface asks. */
export function isEnrolmentOpen(merchant: Pick<Merchant, "enrolmentEnabled" | "enrolmentTemplateId"> | null): boolean {
  return !!merchant?.enrolmentEnabled && !!merchant.enrolmentTemplateId;
}

/**
 * Whether customers may get a card themselves on the merchant's page, and of which template. Turning
 * it on needs an active template of the merchant's own.
 */
export async function setEnrolment(db: Db, actor: AuditActor, input: { enabled: boolean; templateId: string | null }): Promise<Merchant> {
  if (input.enabled && !input.templateId) throw new AppError("validation", "customerPage.errors.template", { templateId: "customerPage.errors.template" });
  if (input.templateId) {
    const { template } = await getTemplateOrThrow(db, actor.merchantId, input.templateId).catch(() => {
      throw new AppError("validation", "customerPage.errors.template", { templateId: "customerPage.errors.template" });
    });
    if (template.archivedAt) throw new AppError("validation", "cards.errors.templateArchived", { templateId: "cards.errors.templateArchived" });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(merchants)
      .set({ enrolmentEnabled: input.enabled, enrolmentTemplateId: input.templateId, updatedAt: new Date() })
      .where(eq(merchants.id, actor.merchantId))
      .returning();
    if (!row) throw new NotFoundError();
    await recordAudit(tx, actor, { action: "merchant.enrolment", entityType: "merchant", entityId: row.id, after: input });
    return row;
  });
}
