import "server-only";
import type { Db } from "@/db";
import { listTemplates } from "@/lib/templates";

/** The templates a form may issue: the merchant's active ones, gift certificates aside. */
export async function formTemplateOptions(db: Db, merchantId: string) {
  const { rows } = await listTemplates(db, merchantId, { page: 1, pageSize: 200, archived: false });
  return rows.filter(({ template }) => template.kind !== "gift").map(({ template }) => ({ id: template.id, name: template.name }));
}
