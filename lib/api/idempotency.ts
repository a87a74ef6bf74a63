import "server-only";
import { createHash } from "node:crypto";
import { and, eq, gte, lt } from "drizzle-orm";
import type { Db } from "@/db";
import { apiIdempotencyKeys } from "@/db/schema/api-idempotency";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { ApiError } from "./errors";
import { IDEMPOTENCY_TTL_MS } from "./idempotency-purge";

export { IDEMPOTENCY_TTL_MS, purgeIdempotencyKeys } from "./idempotency-purge";

export type ApiResult = { status: number; body: unknown };

// Printable ASCII, as HTTP header values and the IETF draft's examples (UUIDs, random strings) are.
const KEY = /^[\x21-\x7e]{1,255}$/;

const toResponse = (result: ApiResult, replayed: boolean) =>
  Response.json(result.body, { status: result.status, headers: replayed ? { "idempotent-replayed": "true" } : undefined });

/**
 * Runs a creating request at most once per `Idempotency-Key` and merchant within 24 hours: a retry
 * gets the first answer back (with `Idempotent-Replayed: true`), the same key with another request
 * is refused. The work and the stored answer commit in one transaction, so a request that fails
 * leaves nothing behind and may be retried; of two racing requests the second waits on the key's
 * row, rolls its own work back and answers with the first one's result.
 */
export async function idempotent(db: Db, merchantId: string, request: Request, body: string, run: (tx: Db) => Promise<ApiResult>): Promise<Response> {
  const key = request.headers.get("idempotency-key");
  if (key === null) return toResponse(await run(db), false);
  if (!KEY.test(key)) throw new ApiError("bad_request", "api.errors.idempotencyKey");
  const requestHash = createHash("sha256")
    .update(`${request.method} ${new URL(request.url).pathname}\n${body}`)
    .digest("hex");
  const where = and(eq(apiIdempotencyKeys.merchantId, merchantId), eq(apiIdempotencyKeys.key, key));

  const replay = async () => {
    const since = new Date(Date.now() - IDEMPOTENCY_TTL_MS);
    const [stored] = await db
      .select()
      .from(apiIdempotencyKeys)
      .where(and(where, gte(apiIdempotencyKeys.createdAt, since)));
    if (!stored) return null;
    if (stored.requestHash !== requestHash) throw new ApiError("conflict", "api.errors.idempotencyMismatch");
    return toResponse({ status: stored.status, body: stored.body }, true);
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const result = await db.transaction(async (tx) => {
      // An answer older than a day no longer counts: the key starts afresh.
      await tx.delete(apiIdempotencyKeys).where(and(where, lt(apiIdempotencyKeys.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS))));
      const done = await run(tx);
      await tx.insert(apiIdempotencyKeys).values({ merchantId, key, requestHash, status: done.status, body: done.body });
      return done;
    });
    return toResponse(result, false);
  } catch (err) {
    // The racer that lost either hit the key's row (a unique violation) or found what the winner did
    // (e.g. the card the winner issued, refused as `card_exists`): either way the winner's answer is its answer.
    const raced = isUniqueViolation(err, "api_idempotency") || (err instanceof AppError && err.code === "card_exists") ? await replay() : null;
    if (raced) return raced;
    throw err;
  }
}
