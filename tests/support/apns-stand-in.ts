// A local APNs: HTTP/2 with APNs's paths, headers, statuses and JSON error bodies, so the real
// client is tested over a real socket. Only node: imports, so Vitest and Playwright can both load it.
import { randomUUID, X509Certificate } from "node:crypto";
import { createSecureServer, createServer, constants, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";

/** How the stand-in answers pushes to one token: 200, or an APNs rejection. */
export type ApnsAnswer = 200 | { status: number; reason: string; retryAfterSeconds?: number };

export type ApnsReceived = {
  token: string;
  topic: string;
  headers: Record<string, string>;
  body: string;
  /** What the stand-in answered, so a test can read the exchange back. */
  status: number;
  /** Subject of the TLS client certificate, e.g. "UID=pass.x, CN=Pass Type ID: pass.x, …". */
  clientCertSubject?: string;
};

export type ApnsStandInOptions = {
  tls?: { key: string; cert: string; ca?: string };
  port?: number;
};

export type ApnsStandIn = {
  url: string;
  received: ApnsReceived[];
  respond(token: string, answer: ApnsAnswer): void;
  /** Resolves once at least `count` requests arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** HTTP/2 connections accepted so far, to prove a client multiplexes instead of reconnecting. */
  readonly sessions: number;
  /** Streams (requests) opened so far, and the most that were open at once (bench/push prints them). */
  readonly streams: number;
  readonly peakStreams: number;
  /** When the last request arrived (Date.now(), comparable across processes): bench/push times the app's last push by it. */
  readonly lastReceivedAt: number;
  /** Destroys every open connection, as a restarting APNs node would. */
  dropConnections(): void;
  /** Forgets what arrived and starts its counts afresh, the connections still open counted as its sessions (bench/push's warm-up). */
  resetCounts(): void;
  close(): Promise<void>;
};

const DEVICE_PATH = /^\/3\/device\/([^/?]*)$/;
const MAX_PAYLOAD_BYTES = 4096;

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return flat;
}

function certificateSubject(session: Http2Session): string | undefined {
  const socket = session.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== "function") return undefined;
  const peer = socket.getPeerCertificate();
  if (!peer?.raw) return undefined;
  return new X509Certificate(peer.raw).subject.split("\n").join(", ");
}

function answerStream(stream: ServerHttp2Stream, apnsId: string, answer: ApnsAnswer) {
  if (stream.destroyed || stream.closed) return;
  if (answer === 200) {
    stream.respond({ [constants.HTTP2_HEADER_STATUS]: 200, "apns-id": apnsId }, { endStream: true });
    return;
  }
  // APNs adds a timestamp (ms since epoch) only to 410: when it learned the token went dead.
  const body = JSON.stringify(answer.status === 410 ? { reason: answer.reason, timestamp: Date.now() } : { reason: answer.reason });
  stream.respond({
    [constants.HTTP2_HEADER_STATUS]: answer.status,
    "content-type": "application/json",
    "apns-id": apnsId,
    ...(answer.retryAfterSeconds !== undefined ? { "retry-after": String(answer.retryAfterSeconds) } : {}),
  });
  stream.end(body);
}

/** Checks the request the way APNs does before it looks at the token's scripted answer. */
function validate(method: string, path: string, token: string | undefined, topic: string, body: string): ApnsAnswer | null {
  if (method !== "POST") return { status: 405, reason: "MethodNotAllowed" };
  if (token === undefined) return { status: 404, reason: "BadPath" };
  if (!token) return { status: 400, reason: "MissingDeviceToken" };
  if (!topic) return { status: 400, reason: "MissingTopic" };
  if (!body) return { status: 400, reason: "PayloadEmpty" };
  if (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES) return { status: 413, reason: "PayloadTooLarge" };
  try {
    JSON.parse(body);
  } catch {
    return { status: 400, reason: "BadPayload" };
  }
  if (!/^[0-9a-f]+$/i.test(token)) return { status: 400, reason: "BadDeviceToken" };
  return null;
}

export async function startApnsStandIn(options: ApnsStandInOptions = {}): Promise<ApnsStandIn> {
  const received: ApnsReceived[] = [];
  let lastReceivedAt = 0;
  const scripts = new Map<string, ApnsAnswer>();
  const open = new Set<Http2Session>();
  const subjects = new WeakMap<Http2Session, string | undefined>();
  const waiters = new Set<() => void>();
  let sessions = 0;
  let streams = 0;
  let openStreams = 0;
  let peakStreams = 0;

  const server: Http2Server = options.tls
    ? // Certificate-based APNs auth: ask for a client certificate and accept any, but refuse none.
      createSecureServer({ key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: true, rejectUnauthorized: false })
    : createServer();

  server.on("session", (session: Http2Session) => {
    sessions += 1;
    open.add(session);
    session.on("close", () => open.delete(session));
    // A client vanishing mid-exchange is normal here; it must not crash the test process.
    session.on("error", () => session.destroy());
    if (options.tls) {
      const subject = certificateSubject(session);
      if (!subject) {
        session.destroy();
        return;
      }
      subjects.set(session, subject);
    }
  });

  server.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    streams += 1;
    peakStreams = Math.max(peakStreams, ++openStreams);
    stream.on("close", () => (openStreams -= 1));
    stream.on("error", () => stream.destroy());
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const method = String(headers[constants.HTTP2_HEADER_METHOD] ?? "");
      const path = String(headers[constants.HTTP2_HEADER_PATH] ?? "");
      const rawToken = DEVICE_PATH.exec(path)?.[1];
      const token = rawToken === undefined ? undefined : decodeURIComponent(rawToken);
      const topic = String(headers["apns-topic"] ?? "");
      const body = Buffer.concat(chunks).toString("utf8");
      const header = headers["apns-id"];
      const apnsId = (Array.isArray(header) ? header[0] : header) || randomUUID();
      const answer = validate(method, path, token, topic, body) ?? scripts.get(token ?? "") ?? 200;
      lastReceivedAt = Date.now();
      received.push({
        token: token ?? "",
        topic,
        headers: flatHeaders(headers),
        body,
        status: answer === 200 ? 200 : answer.status,
        clientCertSubject: subjects.get(stream.session as Http2Session),
      });
      answerStream(stream, apnsId, answer);
      for (const wake of waiters) wake();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // TLS mode is reached by name so the client checks the certificate's host name as it would Apple's.
  const url = options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;

  return {
    url,
    received,
    respond(token, answer) {
      scripts.set(token, answer);
    },
    waitFor(count, timeoutMs = 5_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const wake = () => {
          if (received.length < count) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`APNs stand-in: expected ${count} requests within ${timeoutMs} ms, got ${received.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
      });
    },
    get sessions() {
      return sessions;
    },
    get lastReceivedAt() {
      return lastReceivedAt;
    },
    get streams() {
      return streams;
    },
    get peakStreams() {
      return peakStreams;
    },
    dropConnections() {
      for (const session of open) session.destroy();
    },
    resetCounts() {
      received.length = 0;
      lastReceivedAt = 0;
      sessions = open.size;
      streams = 0;
      peakStreams = openStreams;
    },
    async close() {
      for (const session of open) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
