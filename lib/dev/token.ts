import "server-only";
import { timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

/**
 * Whether a request carries the DEV_OUTBOX token (compared in constant time). The test-only routes
 * under /api/dev answer only then, and 404 otherwise, as if they did not exist.
 */
export function devTokenGiven(request: Request): boolean {
  const token = getEnv().DEV_OUTBOX;
  if (!token) return false;
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
