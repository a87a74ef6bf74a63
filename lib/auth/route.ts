import "server-only";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { can, type Permission } from "./roles";
import { getStaffContext, type StaffContext } from "./session";
import { mustSetUpTwoFactor } from "./two-factor-gate";

const STATUS: Record<string, number> = { not_found: 404, forbidden: 404, unauthorized: 401, validation: 422, conflict: 409, rate_limited: 429 };

/**
 * The one wrapper for cabinet route handlers (downloads and the like): session → permission →
 * handler, with domain errors mapped to statuses. A missing permission looks like a missing thing.
 */
export function withStaff<P>(permission: Permission, handler: (ctx: StaffContext, request: Request, params: P) => Promise<Response>) {
  return async (request: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    const ctx = await getStaffContext();
    if (!ctx) return Response.json({ error: { code: "unauthorized", message: "Sign in first." } }, { status: 401 });
    if (mustSetUpTwoFactor(ctx)) return Response.json({ error: { code: "forbidden", message: "Set up two-factor sign-in first." } }, { status: 403 });
    if (!can(ctx.role, permission)) return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
    try {
      return await handler(ctx, request, await params);
    } catch (err) {
      if (err instanceof AppError) return Response.json({ error: { code: err.code, message: err.message } }, { status: STATUS[err.code] ?? 400 });
      logger.error("route failed", { url: request.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return Response.json({ error: { code: "internal", message: "Something went wrong." } }, { status: 500 });
    }
  };
}
