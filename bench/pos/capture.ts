// What SQL the app sends for one lookup and one purchase: the app's code runs in this process on a connection that records every statement (postgres.js `debug`), so the bare handler
// (bench/pos/bare.ts) can be checked to run the same statements, and the report can show them.
import { randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { schema } from "@/db";

let recording: string[] | null = null;

/** Makes the app's `getDb()` in this process a connection whose statements can be recorded. Call before anything uses the database. */
export function installRecordingDb(url: string): void {
  const client = postgres(url, {
    max: 4,
    onnotice: () => {},
    debug: (_connection, query) => {
      recording?.push(query.replace(/\s+/g, " ").trim());
    },
  });
  const db = drizzle(client, { schema, casing: "snake_case" });
  (globalThis as unknown as { __carddeskDb?: unknown }).__carddeskDb = { kind: "postgres", db, client };
}

async function recorded(work: () => Promise<void>): Promise<{ statements: string[] }> {
  recording = [];
  try {
    // wake() after commit is awaited by the service, so everything it sent is in by now.
    await work();
    return { statements: recording };
  } finally {
    recording = null;
  }
}

/**
 * The route handlers themselves cannot be imported here (their error layer loads next-intl, which
 * needs Next's bundling under the react-server condition), so this runs what they run, in order:
 * withApiKey's key lookup, scope and "last used" touch, then the handler's service call
 * (app/api/v1/pos/lookup, app/api/v1/cards/[id]/transactions).
 */
export async function captureAppSql(key: string, card: { id: string; number: string }) {
  const { getDb } = await import("@/db");
  const { findActiveApiKey, hasScope, touchApiKey } = await import("@/lib/api-keys");
  const { lookupCard } = await import("@/lib/ledger/lookup");
  const { postTransaction } = await import("@/lib/ledger");
  const db = getDb();
  const authenticate = async () => {
    const found = await findActiveApiKey(db, key);
    if (!found || !hasScope(found.key.scopes, "pos:write")) throw new Error("the bench key does not work");
    await touchApiKey(db, found.key);
    return found;
  };
  const lookupOnce = () =>
    recorded(async () => {
      const found = await authenticate();
      await lookupCard(db, found.merchant.id, { code: card.number, amount: 150_000 });
    });
  const purchaseOnce = () =>
    recorded(async () => {
      const found = await authenticate();
      await postTransaction(
        db,
        { merchantId: found.merchant.id, actor: { type: "api", keyId: found.key.id } },
        { cardId: card.id, type: "purchase", amount: 150_000, redeemPoints: 10, receipt: "R-capture", idempotencyKey: randomUUID() },
      );
    });
  // The first call of each also pays for one-off work (the key's "last used" write, pg-boss's start); the second is the steady state.
  await lookupOnce();
  await purchaseOnce();
  return { lookup: await lookupOnce(), purchase: await purchaseOnce() };
}
