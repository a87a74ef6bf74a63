// GET /api/dev/outbox?to=<phone or e-mail> — messages the console provider "sent" to a recipient (tests only)
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { devTokenGiven } from "@/lib/dev/token";
import { openCodeSecret } from "@/lib/outbox";

const notFound = () => new Response("Not found", { status: 404 });

/**
 * Like a local mail catcher: browser tests read the SMS a customer would get, codes included. It
 * answers only with `Authorization: Bearer <DEV_OUTBOX>` (a random token of 32+ characters, checked at
 * start) and is 404 otherwise, as if it did not exist. Only messages the console provider handled
 * (nothing was really sent) are ever shown.
 */
export async function GET(request: Request): Promise<Response> {
  if (!devTokenGiven(request)) return notFound();
  const to = new URL(request.url).searchParams.get("to") ?? "";
  if (/[\u0000-\u001f]/.test(to)) return Response.json({ messages: [] });
  const rows = await getDb()
    .select({
      merchantId: outboxMessages.merchantId,
      secret: outboxMessages.secret,
      body: outboxMessages.body,
      kind: outboxMessages.kind,
      status: outboxMessages.status,
      channel: outboxMessages.channel,
      createdAt: outboxMessages.createdAt,
    })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.recipient, to), eq(outboxMessages.provider, "console")))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(20);
  const messages = rows.map(({ merchantId, secret, ...row }) => ({ ...row, body: openCodeSecret({ merchantId, secret })?.body ?? row.body }));
  return Response.json({ messages });
}
