// Pure (no server-only): used by proxy.ts for server actions and by cabinet route handlers that take uploads.

/**
 * The host a browser request was addressed to, as Next's server-action check reads it: the first
 * X-Forwarded-Host when a proxy set one, else Host.
 */
function requestHost(headers: Headers, fallback: string): string {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host") || fallback;
}

/**
 * True when a request that changes something came from a page of another site. A request without an
 * Origin header is not a browser's cross-site request (browsers send Origin on every POST), so it
 * passes, as it does in Next's own check; `Origin: null` (sandboxed frames, some redirects) does not.
 */
export function isCrossOrigin(request: Request, fallbackHost = new URL(request.url).host): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  return originHost !== requestHost(request.headers, fallbackHost);
}
