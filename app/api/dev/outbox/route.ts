// GET /api/dev/outbox?to=<recipient> — messages the console provider "sent" to a recipient (development and tests only)
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";

/**
 * Like a local mail catcher: with DEV_OUTBOX=true, browser tests read the SMS a customer would get.
 * Only messages the console provider handled (nothing was really sent) are ever shown; without the
 * variable the route does not exist.
 */
export async function GET(request: Request): Promise<Response> {
  if (process.env.DEV_OUTBOX !== "true") return new Response("Not found", { status: 404 });
  const to = new URL(request.url).searchParams.get("to") ?? "";
  const rows = await getDb()
    .select({ body: outboxMessages.body, kind: outboxMessages.kind, status: outboxMessages.status, channel: outboxMessages.channel, createdAt: outboxMessages.createdAt })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.recipient, to), eq(outboxMessages.provider, "console")))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(20);
  return Response.json({ messages: rows });
}
