import { NextResponse, type NextRequest } from "next/server";
import { createNonce, pageSecurityHeaders } from "@/lib/security/headers";
import { isCrossOrigin } from "@/lib/security/origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Runs before every page (not /api, not static files):
 * - refuses a server action posted from another site with 403 (Next would abort it with a 500);
 * - gives the page a fresh CSP nonce (Next puts it on its own scripts when it sees the policy in the
 *   request headers) and its security headers;
 * - passes the requested path to server components, so a sign-in redirect can come back to it.
 */
export function proxy(request: NextRequest) {
  // Pages take no writes but server actions, so any other method here is one (or an attempt at one).
  if (!SAFE_METHODS.has(request.method) && isCrossOrigin(request, request.nextUrl.host)) {
    return new NextResponse("Cross-origin request refused.", {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const nonce = createNonce();
  // Read here rather than through lib/env: that module is server-only, and the proxy needs only these two.
  const security = pageSecurityHeaders({
    pathname: request.nextUrl.pathname,
    nonce,
    https: (process.env.APP_URL ?? "").startsWith("https:"),
    dev: process.env.NODE_ENV === "development",
  });
  const headers = new Headers(request.headers);
  headers.set("x-pathname", request.nextUrl.pathname + request.nextUrl.search);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", security["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ["/((?!api|_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
