// POST /api/google-wallet/callback — Google Wallet reports a card saved to or deleted from a wallet
import { getDb } from "@/db";
import { logger } from "@/lib/logger";
import { handleGoogleCallback } from "@/lib/wallet/google/callback";

const MAX_BODY = 64 * 1024;

export async function POST(request: Request): Promise<Response> {
  try {
    const body = await request.text();
    if (body.length > MAX_BODY) return new Response(null, { status: 413 });
    const outcome = await handleGoogleCallback(getDb(), body);
    if (outcome === "malformed") return new Response(null, { status: 400 });
    if (outcome === "refused") return new Response(null, { status: 401 });
    // An object we do not know is acknowledged, so Google stops retrying a callback meant for no card of ours.
    return new Response(null, { status: 200 });
  } catch (err) {
    logger.error("google callback failed", { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return new Response(null, { status: 500 });
  }
}
