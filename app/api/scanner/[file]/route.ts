// GET /api/scanner/{file} — the camera scanner's WebAssembly (the `barcode-detector` polyfill's zxing-wasm), from our own origin
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The polyfill would fetch its decoder from a CDN; the cashier screen's CSP allows scripts and
 * connections to our own origin only, and a till should not depend on a third party to scan. The
 * file is read from the installed package, so it always matches the polyfill's version.
 */
const FILES: Record<string, string> = { "zxing_reader.wasm": "node_modules/zxing-wasm/dist/reader/zxing_reader.wasm" };
const kept = new Map<string, Buffer>();

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  const source = Object.hasOwn(FILES, file) ? FILES[file] : null;
  if (!source) return new Response(null, { status: 404 });
  let bytes = kept.get(file);
  if (!bytes) kept.set(file, (bytes = await readFile(path.join(process.cwd(), source))));
  return new Response(new Uint8Array(bytes), {
    headers: { "content-type": "application/wasm", "cache-control": "public, max-age=86400", "content-length": String(bytes.length) },
  });
}
