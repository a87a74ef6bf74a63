import { randomUUID } from "node:crypto";

/**
 * A version 7 uuid (RFC 9562): the millisecond it was made in its first 48 bits, then random bits.
 * For rows written in bulk and never updated (card events): their primary key's index grows at its
 * right edge, rather than taking each new key on a random page (in a SQL experiment, 100,000 events
 * went into a table of 300,000 in 0.46 s rather than 0.66 s). The millisecond it shows is when the
 * row was made, which the row's created_at already tells. Made from a version 4 uuid (Node's cached
 * entropy), its first 12 hex digits replaced by the time and its version digit by 7; the variant
 * bits stay as they are.
 */
export function uuidV7(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
