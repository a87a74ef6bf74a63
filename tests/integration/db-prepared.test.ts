import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getConnection, getDb } from "@/db";
import { cards } from "@/db/schema";
import { rowsOf } from "@/db/rows";

describe("statements on PostgreSQL", () => {
  it.skipIf(getConnection().kind !== "postgres")("are prepared once per connection and reused, not parsed and planned on every call", async () => {
    const marker = `prepared_probe_${Date.now()}`;
    // One transaction = one connection, so the session's prepared statements can be seen from it.
    const found = await getDb().transaction(async (tx) => {
      for (let i = 0; i < 3; i++)
        await tx
          .select({ id: cards.id })
          .from(cards)
          .where(eq(cards.number, `${marker}-${i}`));
      return rowsOf<{ statement: string }>(
        await tx.execute(sql`select statement from pg_prepared_statements where statement like ${'%from "cards" where "cards"."number" = $1%'}`),
      );
    });
    // The same text three times with other parameters: one prepared statement.
    expect(found).toHaveLength(1);
  });
});
