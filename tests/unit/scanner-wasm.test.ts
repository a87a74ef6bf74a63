import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/scanner/[file]/route";

const get = (file: string) => GET(new Request(`http://localhost/api/scanner/${file}`), { params: Promise.resolve({ file }) });

describe("the camera scanner's WebAssembly, from our own origin", () => {
  it("serves the polyfill's decoder as application/wasm", async () => {
    const res = await get("zxing_reader.wasm");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/wasm");
    const bytes = new Uint8Array(await res.arrayBuffer());
    // "\0asm": a WebAssembly module.
    expect([...bytes.slice(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
  });

  it("serves nothing else", async () => {
    for (const file of ["zxing_full.wasm", "..%2Fpackage.json", "../../package.json", "constructor", "__proto__"]) expect((await get(file)).status).toBe(404);
  });
});
