import "server-only";
import { and, desc, eq, getTableColumns } from "drizzle-orm";
import type { Db } from "@/db";
import { keysetPage, keysetTime, olderThan, type TimeKeyset } from "@/db/keyset";
import { formSubmissions, type FormSubmission } from "@/db/schema";
import { getFormOrThrow } from "./service";

/**
 * A form's submitted answers, newest first, a page at a time. An erased customer's answers are already
 * emptied (lib/customers/data-rights).
 */
export async function listSubmissions(
  db: Db,
  merchantId: string,
  formId: string,
  opts: { after?: TimeKeyset; limit: number },
): Promise<{ rows: FormSubmission[]; next: TimeKeyset | null }> {
  await getFormOrThrow(db, merchantId, formId);
  const t = formSubmissions;
  const rows = await db
    .select({ ...getTableColumns(t), cursorAt: keysetTime(t.createdAt) })
    .from(t)
    .where(and(eq(t.merchantId, merchantId), eq(t.formId, formId), olderThan(t.createdAt, t.id, opts.after)))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(opts.limit + 1);
  return keysetPage(rows, opts.limit);
}
