// GET /c/{token}/google — redirects to "Save to Google Wallet" with the card's signed object
import { getDb } from "@/db";
import { logger } from "@/lib/logger";
import { cardSaveToGoogleUrl, loadCardByLinkToken } from "@/lib/wallet/pass";

export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const db = getDb();
  try {
    const data = await loadCardByLinkToken(db, (await params).token);
    if (!data) return new Response("Not found", { status: 404 });
    return new Response(null, { status: 302, headers: { location: await cardSaveToGoogleUrl(db, data), "cache-control": "no-store" } });
  } catch (err) {
    logger.error("google save link failed", { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return new Response("Something went wrong", { status: 500 });
  }
}
