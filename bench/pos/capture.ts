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
 * Runs the very route handlers npm start answers the till with (scripts/api-fast-path.ts calls the same),
 * so every statement of a request is recorded: withApiKey's key lookup, rate limit and "last used"
 * touch, then the handler's (app/api/v1/pos/lookup, app/api/v1/cards/[id]/transactions).
 */
export async function captureAppSql(key: string, card: { id: string; number: string }) {
  const { GET: lookup } = await import("@/app/api/v1/pos/lookup/route");
  const { POST: post } = await import("@/app/api/v1/cards/[id]/transactions/route");
  const headers = { authorization: `Bearer ${key}` };
  const ok = async (response: Response) => {
    if (response.status >= 300) throw new Error(`the bench's capture was answered ${response.status}: ${await response.text()}`);
  };
  const lookupOnce = () =>
    recorded(async () => {
      const url = `http://localhost/api/v1/pos/lookup?code=${encodeURIComponent(card.number)}&amount=150000`;
      await ok(await lookup(new Request(url, { headers }), { params: Promise.resolve({}) }));
    });
  const purchaseOnce = () =>
    recorded(async () => {
      const request = new Request(`http://localhost/api/v1/cards/${card.id}/transactions`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify({ type: "purchase", amount: 150_000, redeemPoints: 10, receipt: "R-capture" }),
      });
      await ok(await post(request, { params: Promise.resolve({ id: card.id }) }));
    });
  // The first call of each also pays for one-off work (the key's "last used" write, pg-boss's start); the second is the steady state.
  await lookupOnce();
  await purchaseOnce();
  return { lookup: await lookupOnce(), purchase: await purchaseOnce() };
}
