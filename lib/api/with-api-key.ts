import "server-only";
import { markRepeatedJsonKeys } from "./json-keys";
import { getDb, type Db } from "@/db";
import type { Merchant, Till, TillSettings } from "@/db/schema";
import { findActiveApiKey, hasScope, touchApiKey, type ApiScope } from "@/lib/api-keys";
import type { CardActor } from "@/lib/cards/actor";
import { API_BODY_LIMIT_BYTES } from "@/lib/files/limits";
import { ApiError, toErrorResponse } from "./errors";
import { apiRateLimiter, rateLimitHeaders, type RateLimiter } from "./rate-limit";

/** Who is calling: the key's merchant, and the key itself as the actor card histories show. */
export type ApiContext = {
  db: Db;
  merchantId: string;
  keyId: string;
  merchant: Merchant;
  actor: CardActor;
  /** The till whose key this is (Settings → Tills), and the merchant's till rules; null: none. */
  till: Till | null;
  tillSettings: TillSettings | null;
  scopes: readonly string[];
};

type Handler<P> = (ctx: ApiContext, request: Request, params: P) => Promise<Response>;

const BEARER = /^Bearer +(\S+)$/i;

function presentedKey(header: string | null): string {
  if (!header) throw new ApiError("unauthorized", "api.errors.missingKey", undefined, { "www-authenticate": "Bearer" });
  const match = BEARER.exec(header.trim());
  if (!match) throw new ApiError("unauthorized", "api.errors.malformedKey", undefined, { "www-authenticate": "Bearer" });
  return match[1];
}

/**
 * The one wrapper for REST API route handlers (dub's withWorkspace is the model): Bearer key →
 * hash lookup of a live key → scope → rate limit per key → handler, and every failure answered as
 * `{ error: { code, message, details?, data? } }` with the status its code maps to (lib/api/errors.ts).
 * `limiter` is for tests that need a small limit.
 */
export function withApiKey<P = Record<string, never>>(
  scope: ApiScope | readonly [ApiScope, ...ApiScope[]],
  handler: Handler<P>,
  options: { limiter?: RateLimiter } = {},
) {
  // A list means any one of them will do (a till's `pos:write` may read back what it wrote, as `ledger:read` may); the first is the one named when none is held.
  const scopes: readonly ApiScope[] = typeof scope === "string" ? [scope] : scope;
  const limiter = options.limiter ?? apiRateLimiter;
  return async (request: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      const presented = presentedKey(request.headers.get("authorization"));
      const db = getDb();
      const found = await findActiveApiKey(db, presented);
      // Unknown and revoked keys get the same answer: a key's history is not told to whoever holds a guess.
      if (!found) throw new ApiError("unauthorized", "api.errors.invalidKey", undefined, { "www-authenticate": 'Bearer error="invalid_token"' });
      if (!scopes.some((s) => hasScope(found.key.scopes, s)))
        throw new ApiError("forbidden", "api.errors.scope", { scope: scopes[0] }, undefined, { scope: scopes[0] });

      // Its own statement on the pool, before the handler: never inside the handler's transaction.
      const rate = await limiter.hit(found.key.id);
      const rateHeaders = rateLimitHeaders(rate);
      if (!rate.ok) {
        const retryAfter = String(Math.max(1, Math.ceil((rate.resetAt - Date.now()) / 1000)));
        throw new ApiError(
          "rate_limited",
          "api.errors.rateLimited",
          { seconds: retryAfter },
          { ...rateHeaders, "retry-after": retryAfter },
          { retryAfter: Number(retryAfter) },
        );
      }
      await touchApiKey(db, found.key);

      const ctx: ApiContext = {
        db,
        merchantId: found.merchant.id,
        keyId: found.key.id,
        merchant: found.merchant,
        actor: { type: "api", keyId: found.key.id },
        till: found.till,
        tillSettings: found.tillSettings,
        scopes: found.key.scopes,
      };
      const response = await handler(ctx, request, await params);
      for (const [name, value] of Object.entries(rateHeaders)) response.headers.set(name, value);
      return response;
    } catch (err) {
      return toErrorResponse(err, request);
    }
  };
}

const tooLarge = () =>
  new ApiError("payload_too_large", "api.errors.bodyTooLarge", { kilobytes: API_BODY_LIMIT_BYTES / 1024 }, undefined, { limitBytes: API_BODY_LIMIT_BYTES });

/** The body as text, refused (413) once it is over the limit, whatever `Content-Length` claims, before more of it is read. */
export async function readBody(request: Request, limit = API_BODY_LIMIT_BYTES): Promise<string> {
  if (Number(request.headers.get("content-length")) > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  // As Request.text() decodes: UTF-8, a leading BOM dropped, broken sequences replaced.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** A JSON request body, told apart from a broken one (400) before any validation (422). */
export async function readJson(request: Request, options: { emptyAs?: unknown; repeatedKeys?: boolean } = {}): Promise<{ text: string; value: unknown }> {
  const text = await readBody(request);
  // An operation whose body is optional takes no body at all as this value.
  if (options.emptyAs !== undefined && text.trim() === "") return { text, value: options.emptyAs };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "api.errors.invalidJson");
  }
  // A body whose schema refuses repeated keys (lib/validations/source-keys) gets its objects' repeats marked.
  if (options.repeatedKeys) markRepeatedJsonKeys(text, value);
  return { text, value };
}

/** Query parameters as an object; empty ones (`?phone=`) count as not given. */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
}
