import { generateKeyPairSync } from "node:crypto";
import { connect, createServer as createH2cServer, type ClientHttp2Session } from "node:http2";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import forge from "node-forge";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { APNS_IDLE_MS, closeAllApnsClients, createApnsClient, getApnsClient, type ApnsClient, type ApnsOutcome } from "@/lib/adapters/apns/client";
import { generateDevelopmentCertificate, type AppleSigningMaterial } from "@/lib/passes/apple/dev-certificate";
import { startApnsStandIn, type ApnsAnswer, type ApnsStandIn } from "../support/apns-stand-in";

/** A self-signed server certificate for "localhost", trusted by the client through `ca`. */
function localhostCertificate() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const name = [{ name: "commonName", value: "localhost" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
      ],
    },
  ]);
  const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  cert.sign(forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

const token = (n: number) => n.toString(16).padStart(64, "0");

let server: { key: string; cert: string };
let pass: AppleSigningMaterial;
let standIn: ApnsStandIn;
let client: ApnsClient;
const opened: Array<{ close(): Promise<void> }> = [];

function tlsClient(url: string, extra: { timeoutMs?: number } = {}) {
  const created = createApnsClient({ url, cert: pass.signerCertPem, key: pass.signerKeyPem, ca: server.cert, ...extra });
  opened.push(created);
  return created;
}

async function tlsStandIn() {
  const started = await startApnsStandIn({ tls: server });
  opened.push(started);
  return started;
}

beforeAll(async () => {
  server = localhostCertificate();
  pass = generateDevelopmentCertificate("shop");
  standIn = await tlsStandIn();
  client = tlsClient(standIn.url);
});

afterAll(async () => {
  for (const item of opened.reverse()) await item.close();
});

describe("APNs client against the stand-in (TLS)", () => {
  it("POSTs an empty JSON payload to /3/device/<token> with the pass type id as topic", async () => {
    const outcome = await client.push(token(1), pass.passTypeId);
    await standIn.waitFor(1);
    const request = standIn.received.find((r) => r.token === token(1))!;
    expect(request.headers[":method"]).toBe("POST");
    expect(request.headers[":path"]).toBe(`/3/device/${token(1)}`);
    expect(request.topic).toBe(pass.passTypeId);
    expect(request.body).toBe("{}");
    expect(request.headers["apns-push-type"]).toBe("background");
    expect(request.headers["apns-priority"]).toBe("5");
    const expiresIn = Number(request.headers["apns-expiration"]) - Date.now() / 1000;
    expect(expiresIn).toBeGreaterThan(6 * 24 * 3600);
    expect(expiresIn).toBeLessThanOrEqual(7 * 24 * 3600);
    // The id the stand-in answers with is the one the client sent, and the outcome carries it.
    expect(outcome).toEqual({ kind: "sent", apnsId: request.headers["apns-id"] });
  });

  it("presents the pass type certificate as the TLS client certificate", async () => {
    await client.push(token(2), pass.passTypeId);
    const request = standIn.received.find((r) => r.token === token(2))!;
    expect(request.clientCertSubject).toContain(`UID=${pass.passTypeId}`);
    expect(request.clientCertSubject).toContain(`CN=Pass Type ID: ${pass.passTypeId}`);
  });

  const cases: Array<[string, ApnsAnswer, ApnsOutcome]> = [
    ["200", 200, { kind: "sent", apnsId: expect.any(String) as unknown as string }],
    ["400 BadDeviceToken", { status: 400, reason: "BadDeviceToken" }, { kind: "unregistered", status: 400, reason: "BadDeviceToken" }],
    ["400 DeviceTokenNotForTopic", { status: 400, reason: "DeviceTokenNotForTopic" }, { kind: "unregistered", status: 400, reason: "DeviceTokenNotForTopic" }],
    ["410 Unregistered", { status: 410, reason: "Unregistered" }, { kind: "unregistered", status: 410, reason: "Unregistered" }],
    ["410 ExpiredToken", { status: 410, reason: "ExpiredToken" }, { kind: "unregistered", status: 410, reason: "ExpiredToken" }],
    ["429 TooManyRequests", { status: 429, reason: "TooManyRequests" }, { kind: "retry", status: 429, reason: "TooManyRequests" }],
    ["500 InternalServerError", { status: 500, reason: "InternalServerError" }, { kind: "retry", status: 500, reason: "InternalServerError" }],
    ["503 Shutdown", { status: 503, reason: "Shutdown" }, { kind: "retry", status: 503, reason: "Shutdown" }],
    ["400 BadTopic", { status: 400, reason: "BadTopic" }, { kind: "failed", status: 400, reason: "BadTopic" }],
    ["403 BadCertificate", { status: 403, reason: "BadCertificate" }, { kind: "failed", status: 403, reason: "BadCertificate" }],
  ];
  it.each(cases.map((c, i) => [...c, token(100 + i)] as const))("classifies %s", async (_label, answer, expected, deviceToken) => {
    standIn.respond(deviceToken, answer);
    expect(await client.push(deviceToken, pass.passTypeId)).toEqual(expected);
  });

  it("passes a Retry-After on 429 on to the caller", async () => {
    standIn.respond(token(200), { status: 429, reason: "TooManyRequests", retryAfterSeconds: 3 });
    expect(await client.push(token(200), pass.passTypeId)).toEqual({ kind: "retry", status: 429, reason: "TooManyRequests", retryAfterMs: 3000 });
  });

  it("gets 400 MissingTopic from the stand-in when the topic is empty", async () => {
    expect(await client.push(token(201), "")).toEqual({ kind: "failed", status: 400, reason: "MissingTopic" });
  });

  it("multiplexes 50 concurrent pushes over one HTTP/2 session", async () => {
    const fresh = await tlsStandIn();
    const multiplexing = tlsClient(fresh.url);
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => multiplexing.push(token(1000 + i), pass.passTypeId)));
    await fresh.waitFor(50);
    expect(outcomes.every((o) => o.kind === "sent")).toBe(true);
    expect(new Set(fresh.received.map((r) => r.token)).size).toBe(50);
    expect(fresh.sessions).toBe(1);
    // A later push still reuses that session.
    await multiplexing.push(token(1050), pass.passTypeId);
    expect(fresh.sessions).toBe(1);
  });

  it("spreads a large fan-out over a few connections, a hundred streams each before the next, at most four", async () => {
    const fresh = await tlsStandIn();
    const spreading = tlsClient(fresh.url);
    const outcomes = await Promise.all(Array.from({ length: 250 }, (_, i) => spreading.push(token(4000 + i), pass.passTypeId)));
    expect(outcomes.every((o) => o.kind === "sent")).toBe(true);
    expect(new Set(fresh.received.map((r) => r.token)).size).toBe(250);
    expect(fresh.sessions).toBe(3);
    // Beyond four hundred the four connections share the rest; none is opened after them.
    await Promise.all(Array.from({ length: 600 }, (_, i) => spreading.push(token(5000 + i), pass.passTypeId)));
    expect(fresh.sessions).toBe(4);
    expect(fresh.received.filter((r) => r.status === 200)).toHaveLength(850);
  });

  it("reconnects transparently after the server drops the connection", async () => {
    const fresh = await tlsStandIn();
    const reconnecting = tlsClient(fresh.url);
    expect((await reconnecting.push(token(2000), pass.passTypeId)).kind).toBe("sent");
    fresh.dropConnections();
    expect((await reconnecting.push(token(2001), pass.passTypeId)).kind).toBe("sent");
    expect(fresh.sessions).toBe(2);
    expect(fresh.received.map((r) => r.token)).toContain(token(2001));
  });

  it("answers retry, not a thrown error, when nothing listens on the port", async () => {
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const outcome = await tlsClient(`https://127.0.0.1:${port}`).push(token(3000), pass.passTypeId);
    expect(outcome).toEqual({ kind: "retry", status: 0, reason: "ECONNREFUSED" });
  });

  it("answers retry on a timeout", async () => {
    const silent = createH2cServer();
    silent.on("stream", () => undefined); // accepts the stream and never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    opened.push({ close: () => new Promise<void>((resolve) => silent.close(() => resolve())) });
    const slow = createApnsClient({ url: `http://127.0.0.1:${port}`, cert: "", key: "", timeoutMs: 200 });
    opened.push(slow);
    expect(await slow.push(token(3001), pass.passTypeId)).toEqual({ kind: "retry", status: 0, reason: "Timeout" });
  });

  it("refuses a connection without a client certificate", async () => {
    const anonymous = createApnsClient({ url: standIn.url, cert: "", key: "", ca: server.cert, timeoutMs: 2_000 });
    opened.push(anonymous);
    const before = standIn.received.length;
    expect((await anonymous.push(token(3002), pass.passTypeId)).kind).toBe("retry");
    expect(standIn.received.length).toBe(before);
  });

  it("throws when used after close", async () => {
    const closing = tlsClient(standIn.url);
    await closing.push(token(3003), pass.passTypeId);
    await closing.close();
    await expect(closing.push(token(3004), pass.passTypeId)).rejects.toThrow(/closed/);
  });
});

describe("APNs stand-in wire format", () => {
  let raw: ClientHttp2Session;
  beforeAll(() => {
    raw = connect(standIn.url, { cert: pass.signerCertPem, key: pass.signerKeyPem, ca: server.cert });
  });
  afterAll(() => raw.close());

  function ask(method: string, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const stream = raw.request({ ":method": method, ":path": path, "apns-topic": pass.passTypeId });
      let status = 0;
      let body = "";
      stream.on("response", (h) => (status = Number(h[":status"])));
      stream.on("data", (chunk: Buffer) => (body += chunk.toString()));
      stream.on("end", () => resolve({ status, body }));
      stream.on("error", reject);
      stream.end(method === "GET" ? undefined : "{}");
    });
  }

  it("refuses a wrong method with 405 MethodNotAllowed and a wrong path with 404 BadPath", async () => {
    expect(await ask("GET", `/3/device/${token(4000)}`)).toEqual({ status: 405, body: JSON.stringify({ reason: "MethodNotAllowed" }) });
    expect(await ask("POST", `/3/devices/${token(4000)}`)).toEqual({ status: 404, body: JSON.stringify({ reason: "BadPath" }) });
  });

  it("adds a timestamp to 410 answers", async () => {
    standIn.respond(token(4001), { status: 410, reason: "Unregistered" });
    const answer = await ask("POST", `/3/device/${token(4001)}`);
    expect(answer.status).toBe(410);
    expect(JSON.parse(answer.body)).toEqual({ reason: "Unregistered", timestamp: expect.any(Number) });
  });
});

describe("APNs client over h2c", () => {
  it("pushes to a cleartext stand-in", async () => {
    const plain = await startApnsStandIn();
    opened.push(plain);
    expect(plain.url.startsWith("http://")).toBe(true);
    const h2c = createApnsClient({ url: plain.url, cert: "", key: "" });
    opened.push(h2c);
    expect((await h2c.push(token(5000), pass.passTypeId)).kind).toBe("sent");
    await plain.waitFor(1);
    expect(plain.received[0]).toMatchObject({ token: token(5000), topic: pass.passTypeId, body: "{}", clientCertSubject: undefined });
  });
});

describe("APNs client pool", () => {
  afterEach(async () => {
    vi.useRealTimers();
    await closeAllApnsClients();
  });

  it("keeps one client per key and builds it only once", () => {
    const factory = vi.fn(() => ({ url: standIn.url, cert: pass.signerCertPem, key: pass.signerKeyPem, ca: server.cert }));
    const first = getApnsClient("fingerprint-a", factory);
    expect(getApnsClient("fingerprint-a", factory)).toBe(first);
    expect(getApnsClient("fingerprint-b", factory)).not.toBe(first);
    expect(factory).toHaveBeenCalledTimes(2);
  });

  it("closes a client idle for more than five minutes, but not one still in use", async () => {
    vi.useFakeTimers();
    const factory = () => ({ url: standIn.url, cert: pass.signerCertPem, key: pass.signerKeyPem, ca: server.cert });
    const idle = getApnsClient("idle", factory);
    const busy = getApnsClient("busy", factory);
    vi.advanceTimersByTime(APNS_IDLE_MS - 60_000);
    getApnsClient("busy", factory);
    vi.advanceTimersByTime(2 * 60_000);
    expect(getApnsClient("busy", factory)).toBe(busy);
    const replacement = getApnsClient("idle", factory);
    expect(replacement).not.toBe(idle);
    await expect(idle.push(token(6000), pass.passTypeId)).rejects.toThrow(/closed/);
  });
});
