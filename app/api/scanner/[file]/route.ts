// GET /api/scanner/{file} — the camera scanner's WebAssembly (the `barcode-detector` polyfill's zxing-wasm), from our own origin
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The polyfill would fetch its decoder from a CDN; the cashier screen's CSP allows scripts and
 * connections to our own origin only, and a till should not depend on a third party to scan. The
 * file is read from the installed package, so it always matches the polyfill's version (a literal
 * path, so the build traces just this file).
 */
const WASM = "zxing_reader.wasm";
let kept: Buffer | null = null;

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  if (file !== WASM) return new Response(null, { status: 404 });
  kept ??= await readFile(path.join(process.cwd(), "node_modules/zxing-wasm/dist/reader/zxing_reader.wasm"));
  return new Response(new Uint8Array(kept), {
    headers: { "content-type": "application/wasm", "cache-control": "public, max-age=86400", "content-length": String(kept.length) },
  });
}
