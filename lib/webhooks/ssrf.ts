import "server-only";
import { lookup as dnsLookup } from "node:dns";
import { isIP } from "node:net";

/**
 * Where a webhook may not go. Checked when an endpoint is saved and again at every send, after DNS
 * resolution, on every resolved address; the connection is then made to the address that was checked
 * (lib/webhooks/send pins each socket pool to one checked address), so a DNS answer that changes between the check and the
 * connect (rebinding) cannot walk around it. Written by hand: the rules are a short table, and the
 * IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) have to be unpacked and checked as IPv4.
 */
export type RefusalReason =
  | "invalid_url"
  | "scheme"
  | "https_required"
  | "credentials"
  | "unresolvable"
  | "loopback"
  | "private"
  | "shared"
  | "benchmark"
  | "link_local"
  | "unique_local"
  | "unspecified"
  | "multicast"
  | "reserved";

export class WebhookAddressError extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly address?: string,
  ) {
    super(address ? `webhook address refused (${reason}): ${address}` : `webhook address refused (${reason})`);
    this.name = "WebhookAddressError";
  }
}

type V4Rule = [base: number, bits: number, reason: RefusalReason];
const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const V4_RULES: V4Rule[] = [
  [v4(0, 0, 0, 0), 8, "unspecified"],
  [v4(10, 0, 0, 0), 8, "private"],
  [v4(100, 64, 0, 0), 10, "shared"],
  [v4(127, 0, 0, 0), 8, "loopback"],
  [v4(169, 254, 0, 0), 16, "link_local"],
  [v4(172, 16, 0, 0), 12, "private"],
  [v4(192, 0, 0, 0), 24, "reserved"],
  [v4(192, 0, 2, 0), 24, "reserved"],
  [v4(192, 168, 0, 0), 16, "private"],
  [v4(198, 18, 0, 0), 15, "benchmark"],
  [v4(198, 51, 100, 0), 24, "reserved"],
  [v4(203, 0, 113, 0), 24, "reserved"],
  [v4(224, 0, 0, 0), 4, "multicast"],
  [v4(240, 0, 0, 0), 4, "reserved"],
];

function parseV4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return v4(Number(parts[0]), Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** 16 bytes of an IPv6 address (with `::` and a trailing dotted quad), or null. */
export function parseV6(text: string): number[] | null {
  let s = text.toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const quad = parseV4(s.slice(lastColon + 1));
    if (quad === null) return null;
    tail = [quad >>> 16, quad & 0xffff];
    s = s.slice(0, lastColon + 1) + "0";
    tail = tail.length ? tail : [];
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const words = (part: string) => (part === "" ? [] : part.split(":").map((w) => (/^[0-9a-f]{1,4}$/.test(w) ? parseInt(w, 16) : NaN)));
  let groups: number[];
  if (halves.length === 2) {
    const head = words(halves[0]);
    const rest = words(halves[1]);
    const fill = 8 - head.length - rest.length - (tail.length ? 1 : 0);
    if (fill < 1 && !(fill === 0 && tail.length)) return null;
    groups = [...head, ...Array(Math.max(0, fill)).fill(0), ...rest];
  } else groups = words(s);
  if (tail.length) groups = [...groups.slice(0, -1), ...tail];
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return null;
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function v4Reason(addr: number): RefusalReason | null {
  if (addr === 0xffffffff) return "reserved";
  for (const [base, bits, reason] of V4_RULES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((addr & mask) >>> 0 === base) return reason;
  }
  return null;
}

const fromBytes = (b: number[], at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

function v6Reason(b: number[]): RefusalReason | null {
  const zeroUpTo = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(16)) return "unspecified";
  if (zeroUpTo(15) && b[15] === 1) return "loopback";
  // IPv4-mapped ::ffff:a.b.c.d, and the deprecated IPv4-compatible ::a.b.c.d.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return v4Reason(fromBytes(b, 12)) ?? null;
  if (zeroUpTo(12)) return v4Reason(fromBytes(b, 12)) ?? "reserved";
  // NAT64 64:ff9b::/96 (and the local-use 64:ff9b:1::/48) carry the IPv4 in the last 32 bits.
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) return v4Reason(fromBytes(b, 12)) ?? "reserved";
  // 6to4 2002:AABB:CCDD::/48 carries it in bits 16–48.
  if (b[0] === 0x20 && b[1] === 0x02) return v4Reason(fromBytes(b, 2)) ?? null;
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return "link_local";
  if ((b[0] & 0xfe) === 0xfc) return "unique_local";
  if (b[0] === 0xff) return "multicast";
  // Documentation 2001:db8::/32.
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return "reserved";
  return null;
}

const allowLoopback = () => process.env.WEBHOOK_ALLOW_LOOPBACK === "true";

/**
 * Why an IP address is refused, or null when it may be sent to. With WEBHOOK_ALLOW_LOOPBACK=true
 * (development and tests) 127.0.0.0/8 and ::1 are allowed — in their plain forms only.
 */
export function addressRefusal(address: string): RefusalReason | null {
  const family = isIP(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  if (family === 4) {
    const n = parseV4(address)!;
    const reason = v4Reason(n);
    return reason === "loopback" && allowLoopback() ? null : reason;
  }
  if (family === 6) {
    const bytes = parseV6(address);
    if (!bytes) return "invalid_url";
    const reason = v6Reason(bytes);
    const plainLoopback = bytes.slice(0, 15).every((x) => x === 0) && bytes[15] === 1;
    return reason === "loopback" && plainLoopback && allowLoopback() ? null : reason;
  }
  return "invalid_url";
}

/** How names are resolved; tests swap it for a resolver they control (a name that rebinds). */
export const resolver: { lookup: (host: string) => Promise<{ address: string; family: number }[]> } = {
  lookup: (host) =>
    new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)))),
};

function isLoopbackAddress(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}

/** The URL's form: http(s), no credentials; https unless it is a loopback address allowed for development. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookAddressError("invalid_url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new WebhookAddressError("scheme");
  if (url.username || url.password) throw new WebhookAddressError("credentials");
  if (!url.hostname) throw new WebhookAddressError("invalid_url");
  return url;
}

/**
 * Resolves the URL's host and checks every address; returns them (the first is connected to).
 * http is only for development or a loopback address allowed by WEBHOOK_ALLOW_LOOPBACK.
 */
export async function checkWebhookUrl(raw: string): Promise<{ url: URL; addresses: { address: string; family: number }[] }> {
  const url = parseWebhookUrl(raw);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolver.lookup(host);
    } catch {
      throw new WebhookAddressError("unresolvable", host);
    }
    if (!addresses.length) throw new WebhookAddressError("unresolvable", host);
  }
  for (const a of addresses) {
    const reason = addressRefusal(a.address);
    if (reason) throw new WebhookAddressError(reason, a.address);
  }
  if (url.protocol === "http:" && process.env.NODE_ENV === "production" && !addresses.every((a) => isLoopbackAddress(a.address) && allowLoopback()))
    throw new WebhookAddressError("https_required");
  return { url, addresses };
}
