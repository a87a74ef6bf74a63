// GET /api/passes/default-logo?c=<hex> — a plain square in the card's colour, for wallets that require a logo
import { makePng } from "@/lib/files/png";

export async function GET(request: Request) {
  const c = new URL(request.url).searchParams.get("c") ?? "";
  const hex = /^[0-9a-f]{6}$/i.test(c) ? c : "4f46e5";
  const n = Number.parseInt(hex, 16);
  const png = makePng(96, 96, [(n >> 16) & 255, (n >> 8) & 255, n & 255]);
  return new Response(new Uint8Array(png), { headers: { "content-type": "image/png", "cache-control": "public, max-age=31536000, immutable" } });
}
