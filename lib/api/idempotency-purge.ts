import "server-only";
import { lt } from "drizzle-orm";
import type { Db } from "@/db";
import { apiIdempotencyKeys } from "@/db/schema/api-idempotency";

// Apart from lib/api/idempotency so the worker, which runs this daily, does not load the API's error
// texts (next-intl), which only resolve inside Next.
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** Drops answers past their 24 hours; for a periodic job, since lookups already ignore them. */
export async function purgeIdempotencyKeys(db: Db, now = Date.now()): Promise<number> {
  const gone = await db
    .delete(apiIdempotencyKeys)
    .where(lt(apiIdempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_TTL_MS)))
    .returning({ key: apiIdempotencyKeys.key });
  return gone.length;
}
