import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendPeerAddress, clientIp, trustedProxyHops } from "@/lib/auth/client-ip";

describe("clientIp", () => {
  it.each([
    // No proxy (TRUSTED_PROXY_HOPS=0): the last entry is the peer scripts/server.ts appended.
    ["203.0.113.5", 0, "203.0.113.5"],
    ["1.1.1.1, 203.0.113.5", 0, "203.0.113.5"],
    ["1.1.1.1, 2.2.2.2, 3.3.3.3, 203.0.113.5", 0, "203.0.113.5"],
    // One load balancer: client-written, LB-appended client, our appended LB address.
    ["1.1.1.1, 203.0.113.5, 10.0.0.1", 1, "203.0.113.5"],
    ["203.0.113.5, 10.0.0.1", 1, "203.0.113.5"],
    // Two proxies.
    ["9.9.9.9, 203.0.113.5, 10.0.0.2, 10.0.0.1", 2, "203.0.113.5"],
    // A client that bypasses the load balancer sends nothing: the farthest entry we have.
    ["203.0.113.9", 1, "203.0.113.9"],
    [" 1.1.1.1 ,, 203.0.113.5 ", 0, "203.0.113.5"],
    ["2001:db8::1", 0, "2001:db8::1"],
  ])("%j with %i trusted hops → %j", (xff, hops, expected) => {
    expect(clientIp(new Headers({ "x-forwarded-for": xff }), hops)).toBe(expected);
  });

  it("does not take X-Real-IP from a client, nor invent an address", () => {
    expect(clientIp(new Headers({ "x-real-ip": "1.1.1.1" }), 0)).toBe("unknown");
    expect(clientIp(new Headers(), 0)).toBe("unknown");
  });

  it.each([
    [undefined, 0],
    ["", 0],
    ["0", 0],
    ["1", 1],
    ["2", 2],
    ["-1", 0],
    ["abc", 0],
    ["1.5", 0],
  ])("TRUSTED_PROXY_HOPS=%j means %i hops (no proxy unless the operator says so)", (value, expected) => {
    const before = process.env.TRUSTED_PROXY_HOPS;
    if (value === undefined) delete process.env.TRUSTED_PROXY_HOPS;
    else process.env.TRUSTED_PROXY_HOPS = value;
    try {
      expect(trustedProxyHops()).toBe(expected);
    } finally {
      if (before === undefined) delete process.env.TRUSTED_PROXY_HOPS;
      else process.env.TRUSTED_PROXY_HOPS = before;
    }
  });
});

describe("appendPeerAddress, as scripts/server.ts runs it on every request", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    // The same order as the production server: append the peer, then whatever reads the headers.
    server = http.createServer((req, res) => {
      appendPeerAddress(req);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      res.end(JSON.stringify({ xff: req.headers["x-forwarded-for"], ip: clientIp(headers, 0) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ask = async (headers: Record<string, string>) => (await fetch(`http://127.0.0.1:${port}/`, { headers })).json();

  it("ignores an address the client wrote itself", async () => {
    // The reported bypass: a fresh X-Forwarded-For per request gave every request its own limit.
    for (const spoofed of ["198.51.100.1", "198.51.100.2", "10.0.0.1, 198.51.100.3"]) {
      expect(await ask({ "x-forwarded-for": spoofed })).toEqual({ xff: `${spoofed}, 127.0.0.1`, ip: "127.0.0.1" });
    }
  });

  it("adds the peer when the client sent none", async () => {
    expect(await ask({})).toEqual({ xff: "127.0.0.1", ip: "127.0.0.1" });
  });
});
