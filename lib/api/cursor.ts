import "server-only";
import type { TimeKeyset } from "@/db/keyset";
import { isUuid } from "@/lib/validations/common";
import { invalidField } from "./errors";

// The API opaque cursor for newest-first (created-at, id) paging (db/keyset): webhook deliveries, form submissions.

/** The next page cursor. */
export function encodeTimeCursor(keyset: TimeKeyset): string {
  return Buffer.from(JSON.stringify([keyset.createdAt, keyset.id])).toString("base64url");
}

/**
 * A time as the cursor carries it (microseconds, UTC) that is also a real one: 2024-02-30 or hour 99
 * have the shape but PostgreSQL refuses them, which would be a 500 rather than the cursor's 422.
 */
function isCursorTime(value: string): boolean {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(value)) return false;
  const millis = `${value.slice(0, 23)}Z`;
  const date = new Date(millis);
  return !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.toISOString() === millis;
}

/** A cursor this API made, or 422 on `cursor`. */
export function decodeTimeCursor(cursor: string): TimeKeyset {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof createdAt === "string" && isCursorTime(createdAt) && isUuid(id)) return { createdAt, id };
  } catch {
    // Not base64 JSON: told below like any other cursor this API did not make.
  }
  throw invalidField("cursor", "api.errors.cursor");
}
