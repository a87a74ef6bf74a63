import "server-only";
import type { TimeKeyset } from "@/db/keyset";
import { isUuid } from "@/lib/validations/common";
import { invalidField } from "./errors";

// The API opaque cursor for newest-first (created-at, id) paging (db/keyset): webhook deliveries, form submissions.

/** The next page cursor. */
export function encodeTimeCursor(keyset: TimeKeyset): string {
  return Buffer.from(JSON.stringify([keyset.createdAt, keyset.id])).toString("base64url");
}

/** A cursor this API made, or 422 on `cursor`. */
export function decodeTimeCursor(cursor: string): TimeKeyset {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof createdAt === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(createdAt) && isUuid(id)) return { createdAt, id };
  } catch {
    // Not base64 JSON: told below like any other cursor this API did not make.
  }
  throw invalidField("cursor", "api.errors.cursor");
}
