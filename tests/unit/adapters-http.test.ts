import { describe, expect, it } from "vitest";
import { providerJson } from "@/lib/adapters/http";
import { ProviderError } from "@/lib/adapters/types";

const answering = (status: number, body: string): typeof fetch => (async () => new Response(body, { status })) as typeof fetch;
const failing = (err: Error): typeof fetch => (async () => Promise.reject(err)) as typeof fetch;

async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  const e = err as ProviderError;
  return { code: e.code, temporary: e.temporary, message: e.message, detail: e.providerDetail };
}

describe("the shared provider HTTP rules (lib/adapters/http.ts)", () => {
  const options = { provider: "acme" };

  it("reads the provider's JSON", async () => {
    expect(await providerJson("http://x", {}, { ...options, fetch: answering(200, '{"ok":1}') })).toEqual({ ok: 1 });
  });

  it.each([
    [429, "slow", { code: "rate_limited", temporary: true, message: "acme is limiting requests.", detail: "acme HTTP 429: slow" }],
    [503, "<html>", { code: "unavailable", temporary: true, message: "acme is temporarily unavailable.", detail: "acme HTTP 503: <html>" }],
    [404, "no", { code: "unknown", temporary: false, message: "acme refused the request (HTTP 404).", detail: "acme HTTP 404: no" }],
    [
      200,
      "<html>maintenance</html>",
      {
        code: "unavailable",
        temporary: true,
        message: "acme answered with something that is not its API format.",
        detail: "acme HTTP 200: <html>maintenance</html>",
      },
    ],
  ])("tells HTTP %i (%s) apart", async (status, body, expected) => {
    expect(await refusal(providerJson("http://x", {}, { ...options, fetch: answering(status, body) }))).toEqual(expected);
  });

  it("uses the adapter's own sentences for 429 and 5xx", async () => {
    const own = { ...options, throttled: "acme is busy", down: "acme is down" };
    expect((await refusal(providerJson("http://x", {}, { ...own, fetch: answering(429, "") }))).message).toBe("acme is busy.");
    expect((await refusal(providerJson("http://x", {}, { ...own, fetch: answering(500, "") }))).message).toBe("acme is down.");
  });

  it("tells a network failure and a timeout as temporary, with the cause", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") });
    expect(await refusal(providerJson("http://x", {}, { ...options, fetch: failing(refused) }))).toMatchObject({
      code: "unavailable",
      temporary: true,
      detail: "acme network: Error: connect ECONNREFUSED 127.0.0.1:1",
    });
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    expect(await refusal(providerJson("http://x", {}, { ...options, timeoutMs: 50, fetch: failing(timeout) }))).toMatchObject({
      code: "unavailable",
      temporary: true,
      detail: "acme network: no answer in 50 ms",
    });
  });
});
