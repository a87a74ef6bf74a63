// GET /api/passes/default-logo?c=<hex> — a plain square in the card's colour, for wallets that require a logo
import { hexToRgb, makePng } from "@/lib/files/png";

export async function GET(request: Request) {
  const rgb = hexToRgb(new URL(request.url).searchParams.get("c") ?? "") ?? [79, 70, 229];
  return new Response(new Uint8Array(makePng(96, 96, rgb)), {
    headers: { "content-type": "image/png", "cache-control": "public, max-age=31536000, immutable" },
  });
}
