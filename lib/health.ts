import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { getBoss } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
}

/** Liveness and readiness: the database answers a query and pg-boss can see its queues. */
export async function checkHealth(): Promise<{ db: "ok" | "error"; queue: "ok" | "error" }> {
  const db = await within(3000, getDb().execute(sql`select 1`)).then(
    () => "ok" as const,
    () => "error" as const,
  );
  if (db === "error") return { db, queue: "error" };
  const queue = await within(
    5000,
    getBoss().then((boss) => boss.getQueue(QUEUES.outboxSend)),
  ).then(
    (q) => (q ? ("ok" as const) : ("error" as const)),
    () => "error" as const,
  );
  return { db, queue };
}
