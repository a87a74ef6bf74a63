/**
 * The caller's address. A client can send any X-Forwarded-For, so only the hops appended by our own
 * proxies count: with TRUSTED_PROXY_HOPS=1 (one load balancer) the right-most entry is the client.
 */
export function clientIp(headers: Headers, trustedHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 1)): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const hop = hops[hops.length - Math.max(1, trustedHops)];
  return hop || headers.get("x-real-ip")?.trim() || "unknown";
}
