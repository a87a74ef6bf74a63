// GET /c/{token}/pass — the card's .pkpass for "Add to Apple Wallet" (the link token is the credential)
import { getDb } from "@/db";
import { logger } from "@/lib/logger";
import { pkpassResponse } from "@/lib/wallet/http";
import { buildCardPass, loadCardByLinkToken } from "@/lib/wallet/pass";

export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const db = getDb();
  try {
    const data = await loadCardByLinkToken(db, (await params).token);
    if (!data) return new Response("Not found", { status: 404 });
    return pkpassResponse(await buildCardPass(db, data), data.card.number);
  } catch (err) {
    logger.error("public pass failed", { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return new Response("Something went wrong", { status: 500 });
  }
}
