import type { IncomingMessage } from "node:http";

/**
 * How many X-Forwarded-For entries our own proxies append in front of `npm start` (0: none, the
 * server faces the clients itself). Read here rather than through lib/env so this module stays free
 * of server-only imports for scripts/server.ts; lib/env validates the same variable at start.
 */
export function trustedProxyHops(): number {
  const raw = process.env.TRUSTED_PROXY_HOPS;
  const n = raw === undefined || raw === "" ? 0 : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** `::ffff:203.0.113.5` (an IPv4 client on a dual-stack socket) is `203.0.113.5`. */
function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * Called by scripts/server.ts on every request before anything reads it: the socket's own peer is
 * appended to X-Forwarded-For, as a proxy would. Whatever a client wrote there stays to the left,
 * where clientIp never looks unless TRUSTED_PROXY_HOPS says our own proxies put it there.
 */
export function appendPeerAddress(req: IncomingMessage): void {
  const peer = plainAddress(req.socket.remoteAddress ?? "unknown");
  const sent = req.headers["x-forwarded-for"];
  const before = (Array.isArray(sent) ? sent.join(", ") : (sent ?? "")).trim();
  req.headers["x-forwarded-for"] = before ? `${before}, ${peer}` : peer;
}

/**
 * The caller's address, for per-address limits. Read `trustedHops` entries from the right of
 * X-Forwarded-For: the last entry is the peer that connected to us (appended by our server), each
 * trusted proxy adds one more. A client can write any entries it likes, but only to the left of
 * those. X-Real-IP is not read: without a proxy that sets it, the client does.
 */
export function clientIp(headers: Headers, trustedHops = trustedProxyHops()): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (hops.length === 0) return "unknown";
  // Fewer entries than proxies we were told about: the left-most is the farthest anyone vouched for.
  return hops[Math.max(0, hops.length - 1 - trustedHops)];
}
