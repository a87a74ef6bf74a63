import "server-only";
import { getDb, type Db } from "@/db";
import { logger } from "@/lib/logger";

/**
 * The wrapper for PassKit web service handlers: Wallet only understands status codes, so anything
 * unexpected is logged and answered with a bare 500.
 */
export function walletRoute<P>(handler: (db: Db, request: Request, params: P) => Promise<Response>) {
  return async (request: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      return await handler(getDb(), request, await params);
    } catch (err) {
      logger.error("wallet web service failed", { url: request.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return new Response(null, { status: 500 });
    }
  };
}

export const status = (code: number) => new Response(null, { status: code });
