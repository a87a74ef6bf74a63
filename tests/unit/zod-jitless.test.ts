import { afterAll, describe, expect, it } from "vitest";

// The page's CSP forbids eval; the browser reports even a caught `new Function` as a violation.
const RealFunction = globalThis.Function;
const calls: unknown[][] = [];
globalThis.Function = new Proxy(RealFunction, {
  construct: (target, args) => (calls.push(args), Reflect.construct(target, args)),
  apply: (target, self, args) => (calls.push(args), Reflect.apply(target, self, args)),
});
afterAll(() => {
  globalThis.Function = RealFunction;
});

describe("zod in the browser", () => {
  it("parses without probing or compiling with eval once instrumentation-client has run", async () => {
    // The test setup (migrations) parses with zod before this body runs; only what follows counts.
    calls.length = 0;
    await import("@/instrumentation-client");
    const { z } = await import("zod");
    const schema = z.object({ name: z.string().min(1), phone: z.string(), items: z.array(z.object({ n: z.number() })) });
    expect(schema.parse({ name: "Anna", phone: "+7", items: [{ n: 1 }] })).toEqual({ name: "Anna", phone: "+7", items: [{ n: 1 }] });
    expect(schema.safeParse({ name: "", phone: 1, items: [] }).success).toBe(false);
    expect(calls).toEqual([]);
  });
});
