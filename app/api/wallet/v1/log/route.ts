// POST /api/wallet/v1/log — Wallet reports problems with our passes; kept for the merchant they concern
import { clientIp } from "@/lib/auth/client-ip";
import { allowWalletLogPost, storeWalletLogs } from "@/lib/wallet/logs";
import { status, walletRoute } from "@/lib/wallet/route";

const MAX_BODY = 64 * 1024;

export const POST = walletRoute<Record<string, never>>(async (db, request) => {
  if (!allowWalletLogPost(clientIp(request.headers))) return status(429);
  const text = await request.text();
  if (text.length > MAX_BODY) return status(413);
  let body: { logs?: unknown } | null = null;
  try {
    body = JSON.parse(text) as { logs?: unknown };
  } catch {
    return status(400);
  }
  await storeWalletLogs(db, body?.logs);
  return status(200);
});
