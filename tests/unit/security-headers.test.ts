import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { proxy } from "@/proxy";

const page = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(`http://localhost:3000${path}`, { method: init.method ?? "GET", headers: { host: "localhost:3000", ...init.headers } });

/** The directives of a policy, by name. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

afterEach(() => vi.unstubAllEnvs());

describe("security headers on pages", () => {
  it.each(["/", "/sign-in", "/dashboard", "/c/some-card-token", "/my"])("%s gets a nonce-based policy and the other headers", (path) => {
    const response = proxy(page(path));
    const csp = directives(response.headers.get("content-security-policy"));
    const nonce = /^'nonce-([A-Za-z0-9+/=]{20,})'$/.exec(csp["script-src"].find((v) => v.startsWith("'nonce-")) ?? "")?.[1];
    expect(nonce).toBeTruthy();
    // Neither inline script nor eval runs: only scripts carrying this response's nonce.
    expect(csp["script-src"]).toContain("'strict-dynamic'");
    expect(csp["script-src"]).not.toContain("'unsafe-inline'");
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(csp["script-src"]).not.toContain("'wasm-unsafe-eval'");
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["img-src"]).toEqual(["'self'", "data:", "blob:"]);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    // The page renders with the same nonce, which Next puts on its own scripts.
    expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(response.headers.get("content-security-policy"));
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("uses a new nonce for every response", () => {
    const nonces = new Set(Array.from({ length: 5 }, () => proxy(page("/dashboard")).headers.get("x-middleware-request-x-nonce")));
    expect(nonces.size).toBe(5);
  });

  it("adds HSTS and upgrades requests only when APP_URL is https", () => {
    vi.stubEnv("APP_URL", "https://cards.example.com");
    const response = proxy(page("/dashboard"));
    expect(response.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(directives(response.headers.get("content-security-policy"))).toHaveProperty("upgrade-insecure-requests");
  });

  it("allows the camera and WebAssembly on the cashier screen only", () => {
    const till = proxy(page("/till"));
    expect(till.headers.get("permissions-policy")).toContain("camera=(self)");
    expect(directives(till.headers.get("content-security-policy"))["script-src"]).toContain("'wasm-unsafe-eval'");
    const elsewhere = proxy(page("/tills-report"));
    expect(elsewhere.headers.get("permissions-policy")).toContain("camera=()");
    expect(directives(elsewhere.headers.get("content-security-policy"))["script-src"]).not.toContain("'wasm-unsafe-eval'");
  });

  it("allows eval only under next dev", () => {
    vi.stubEnv("NODE_ENV", "development");
    expect(directives(proxy(page("/dashboard")).headers.get("content-security-policy"))["script-src"]).toContain("'unsafe-eval'");
  });
});

describe("server actions from another site", () => {
  const action = (origin: string | null, extra: Record<string, string> = {}) =>
    page("/settings/organisation", {
      method: "POST",
      headers: { "next-action": "7f00aa", "content-type": "text/plain;charset=UTF-8", ...(origin ? { origin } : {}), ...extra },
    });

  it.each([["https://evil.example"], ["http://localhost:3001"], ["null"], ["not a url"]])("are refused with 403 when Origin is %s", (origin) => {
    const response = proxy(action(origin));
    expect(response.status).toBe(403);
    expect(response.headers.get("x-middleware-next")).toBeNull();
  });

  it("refuse a form posted cross-site without JavaScript (no Next-Action header) too", () => {
    const response = proxy(
      page("/settings/organisation", { method: "POST", headers: { origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x" } }),
    );
    expect(response.status).toBe(403);
  });

  it("pass when the Origin is the site itself, directly or behind a proxy that sets X-Forwarded-Host", () => {
    expect(proxy(action("http://localhost:3000")).headers.get("x-middleware-next")).toBe("1");
    expect(proxy(action("https://cards.example.com", { "x-forwarded-host": "cards.example.com" })).headers.get("x-middleware-next")).toBe("1");
    expect(proxy(action(null)).headers.get("x-middleware-next")).toBe("1");
  });
});
