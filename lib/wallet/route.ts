import "server-only";
import { getDb, type Db } from "@/db";
import { logger } from "@/lib/logger";
import { isCleanParam } from "@/lib/validations/common";

/**
 * The wrapper for PassKit web service handlers: Wallet only understands status codes, so anything
 * unexpected is logged and answered with a bare 500. A path segment with a control character (`%00`)
 * names nothing of ours and is answered 404 before any query (PostgreSQL refuses NUL in text).
 */
export function walletRoute<P>(handler: (db: Db, request: Request, params: P) => Promise<Response>) {
  return async (request: Request, context: { params?: Promise<P> }): Promise<Response> => {
    try {
      // A route without path segments (the log) gets no params from Next.
      const values = ((await context?.params) ?? {}) as P;
      if (!Object.values(values as object).every((v) => isCleanParam(v))) return status(404);
      return await handler(getDb(), request, values);
    } catch (err) {
      logger.error("wallet web service failed", { url: request.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return new Response(null, { status: 500 });
    }
  };
}

export const status = (code: number) => new Response(null, { status: code });
