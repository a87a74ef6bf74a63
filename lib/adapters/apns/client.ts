import "server-only";
import { randomUUID } from "node:crypto";
import {
  connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
  type OutgoingHttpHeaders,
} from "node:http2";

export type ApnsClientOptions = {
  /** https://api.push.apple.com in production; http://… (h2c) only for local stand-ins. */
  url: string;
  /** The pass type certificate and its key (PEM): APNs authenticates the TLS client certificate. */
  cert: string;
  key: string;
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
  timeoutMs?: number;
  /** Connections it may open under load (MAX_CONNECTIONS). */
  maxConnections?: number;
};

/** What the caller does next: nothing, drop the registration, back off and retry, or give up. */
export type ApnsOutcome =
  | { kind: "sent"; apnsId: string }
  | { kind: "unregistered"; status: number; reason: string }
  | { kind: "retry"; status: number; reason: string; retryAfterMs?: number }
  | { kind: "failed"; status: number; reason: string };

export type ApnsClient = {
  push(deviceToken: string, topic: string): Promise<ApnsOutcome>;
  /** Lets in-flight pushes finish, then closes the connection; later pushes throw. */
  close(): Promise<void>;
  /** Read by the pool so it never closes a client that is mid-push. */
  readonly inFlight: number;
  readonly lastUsedAt: number;
};

const DEFAULT_TIMEOUT_MS = 10_000;
/** Wallet pushes carry nothing, so holding one for an offline phone costs nothing and APNs keeps only the latest. */
const EXPIRATION_SECONDS = 7 * 24 * 3600;
/** Apple's answers meaning this token will never work for this pass type again. */
const DEAD_TOKEN_REASONS = new Set(["BadDeviceToken", "DeviceTokenNotForTopic"]);

type RawAnswer =
  { kind: "response"; status: number; body: string; apnsId?: string; retryAfterMs?: number } | { kind: "connection"; reason: string } | { kind: "timeout" };

function readReason(status: number, body: string): string {
  if (body) {
    try {
      const parsed = JSON.parse(body) as { reason?: unknown };
      if (typeof parsed.reason === "string") return parsed.reason;
    } catch {
      // A proxy or a stand-in may answer with plain text; keep a bounded excerpt for the log.
      return body.slice(0, 200);
    }
  }
  return `HTTP ${status}`;
}

function classifyApnsAnswer(answer: RawAnswer, fallbackId: string): ApnsOutcome {
  if (answer.kind === "timeout") return { kind: "retry", status: 0, reason: "Timeout" };
  if (answer.kind === "connection") return { kind: "retry", status: 0, reason: answer.reason };
  const { status } = answer;
  if (status === 200) return { kind: "sent", apnsId: answer.apnsId ?? fallbackId };
  const reason = readReason(status, answer.body);
  if (status === 410 || (status === 400 && DEAD_TOKEN_REASONS.has(reason))) return { kind: "unregistered", status, reason };
  if (status === 429 || status >= 500)
    return { kind: "retry", status, reason, ...(answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}) };
  return { kind: "failed", status, reason };
}

function errorReason(error: unknown): string {
  // Node cancels pending streams with ERR_HTTP2_STREAM_CANCEL and keeps the real failure
  // (ECONNREFUSED, a TLS error) as its cause; that is the useful one to report.
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (root as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (root instanceof Error ? root.message : String(root));
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** A push waiting for its answer, with the time it gives up (the client's deadline sweep). */
type Pending = { deadline: number; timeOut(): void };

/**
 * The pushes of one client waiting for their answers, and one timer that gives up on those past their
 * deadline. One timer per client rather than one per push: a campaign keeps hundreds of pushes in
 * flight and sends a hundred thousand. The timer is ref'd while anything waits, so a pending push keeps
 * the process alive although the idle session is unref'd; it stops when nothing waits.
 */
function deadlines(timeoutMs: number) {
  const pending = new Set<Pending>();
  const every = Math.min(1000, Math.max(10, Math.floor(timeoutMs / 4)));
  let timer: NodeJS.Timeout | undefined;
  const sweep = () => {
    const now = performance.now();
    for (const p of pending) if (p.deadline <= now) p.timeOut();
    if (!pending.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return {
    timeoutMs,
    add(p: Pending): void {
      pending.add(p);
      timer ??= setInterval(sweep, every);
    },
    remove(p: Pending) {
      pending.delete(p);
    },
  };
}
type Deadlines = ReturnType<typeof deadlines>;

/**
 * One POST on one stream, as an object its stream's events find (`EXCHANGE`) rather than a set of
 * closures made for each push: a campaign sends a hundred thousand, and each closure is an allocation
 * (and, under tsx, a named function defined) on the worker's busiest path (bench/push).
 */
const EXCHANGE = Symbol("apns exchange");
type ExchangeStream = ClientHttp2Stream & { [EXCHANGE]: Exchange };

class Exchange implements Pending {
  deadline: number;
  status = 0;
  apnsId: string | undefined = undefined;
  retryAfter: number | undefined = undefined;
  // APNs answers a push it took with no body: chunks only for a refusal's reason.
  chunks: Buffer[] | undefined = undefined;
  settled = false;
  constructor(
    readonly stream: ExchangeStream,
    readonly waiting: Deadlines,
    readonly resolve: (answer: RawAnswer) => void,
  ) {
    // A deadline for the whole exchange, connect and TLS included.
    this.deadline = performance.now() + waiting.timeoutMs;
  }
  finish(answer: RawAnswer) {
    if (this.settled) return;
    this.settled = true;
    this.waiting.remove(this);
    this.resolve(answer);
  }
  answered(): RawAnswer {
    const body = this.chunks ? Buffer.concat(this.chunks).toString("utf8") : "";
    return { kind: "response", status: this.status, body, apnsId: this.apnsId, retryAfterMs: this.retryAfter };
  }
  timeOut() {
    this.stream.close(constants.NGHTTP2_CANCEL);
    this.finish({ kind: "timeout" });
  }
}

function onResponse(this: ExchangeStream, headers: IncomingHttpHeaders & IncomingHttpStatusHeader) {
  const x = this[EXCHANGE];
  x.status = Number(headers[constants.HTTP2_HEADER_STATUS] ?? 0);
  const id = headers["apns-id"];
  x.apnsId = Array.isArray(id) ? id[0] : id;
  x.retryAfter = retryAfterMs(headers["retry-after"]);
}
function onData(this: ExchangeStream, chunk: Buffer) {
  (this[EXCHANGE].chunks ??= []).push(chunk);
}
function onError(this: ExchangeStream, error: Error) {
  const x = this[EXCHANGE];
  x.finish(x.status ? x.answered() : { kind: "connection", reason: errorReason(error) });
}
// After the body has ended (or the stream was reset): the answer is complete.
function onClose(this: ExchangeStream) {
  const x = this[EXCHANGE];
  x.finish(x.status ? x.answered() : { kind: "connection", reason: `StreamClosed(${this.rstCode ?? "?"})` });
}

/** One POST on one stream; never rejects, because every failure is an outcome the caller acts on. */
function sendOnce(session: ClientHttp2Session, headers: OutgoingHttpHeaders, waiting: Deadlines): Promise<RawAnswer> {
  let stream: ExchangeStream;
  try {
    stream = session.request(headers) as ExchangeStream;
  } catch (error) {
    // The session died between the check and the request (closed, destroyed, out of stream ids).
    return Promise.resolve({ kind: "connection", reason: errorReason(error) });
  }
  const { promise, resolve } = Promise.withResolvers<RawAnswer>();
  const exchange = new Exchange(stream, waiting, resolve);
  stream[EXCHANGE] = exchange;
  waiting.add(exchange);
  stream.on("response", onResponse);
  stream.on("data", onData);
  stream.on("error", onError);
  stream.on("close", onClose);
  stream.end("{}");
  return promise;
}

/**
 * Connections one client may open, and the streams one takes before the next is opened. Apple asks
 * providers to keep connections open and multiplex pushes over them rather than connect per push, and
 * to spread a large number of notifications over several connections. One HTTP/2 connection with
 * hundreds of streams open costs both ends more per push, and sends slower, than a few with a hundred
 * each (bench/push: a campaign keeps up to 2,000 in flight). A client that sends a little keeps one.
 */
const MAX_CONNECTIONS = 4;
const STREAMS_PER_CONNECTION = 100;

/** One of a client's connections (opened when first needed, reopened after it goes away) and its streams in flight. */
type Lane = { session: ClientHttp2Session | null; streams: number };

/** APNs over HTTP/2 for Wallet pass updates, authenticated by the pass type certificate. */
export function createApnsClient(options: ApnsClientOptions): ApnsClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secure = new URL(options.url).protocol === "https:";
  const lanes: Lane[] = Array.from({ length: options.maxConnections ?? MAX_CONNECTIONS }, () => ({ session: null, streams: 0 }));
  let closed = false;
  let inFlight = 0;
  let lastUsedAt = Date.now();
  const waiting = deadlines(timeoutMs);

  /** The first lane with room, else the least busy: a second connection only once the first has a hundred streams. */
  function pickLane(): Lane {
    let least = lanes[0];
    for (const lane of lanes) {
      if (lane.streams < STREAMS_PER_CONNECTION) return lane;
      if (lane.streams < least.streams) least = lane;
    }
    return least;
  }

  function sessionOf(lane: Lane): ClientHttp2Session {
    const current = lane.session;
    if (current && !current.closed && !current.destroyed) return current;
    const opened = secure
      ? connect(options.url, { cert: options.cert, key: options.key, ca: options.ca, rejectUnauthorized: options.rejectUnauthorized ?? true })
      : connect(options.url);
    const forget = () => {
      if (lane.session === opened) lane.session = null;
    };
    // An idle connection must not keep a worker or a test process alive; pending pushes hold their own timer.
    opened.unref();
    // After GOAWAY Node drains the in-flight streams itself; new pushes must go to a fresh connection.
    opened.on("goaway", forget);
    opened.on("close", forget);
    // Without a listener a connection error would crash the process; the pending streams report it.
    opened.on("error", forget);
    lane.session = opened;
    return opened;
  }

  async function push(deviceToken: string, topic: string): Promise<ApnsOutcome> {
    if (closed) throw new Error("APNs client is closed");
    const apnsId = randomUUID();
    const headers: OutgoingHttpHeaders = {
      [constants.HTTP2_HEADER_METHOD]: "POST",
      [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(deviceToken)}`,
      // The pass type identifier: a pass certificate may carry several topics, so name it explicitly.
      "apns-topic": topic,
      // Apple lists no Wallet push type. The payload has no alert, sound or badge, and Apple says the
      // type must match the payload; "background" is the one that does. It is required for watchOS,
      // where Wallet registers passes too, and recommended everywhere else.
      "apns-push-type": "background",
      // Apple requires priority 5 with the background type (10 is documented as invalid for it); a
      // balance or stamp change can wait for the device's power-friendly delivery window.
      "apns-priority": "5",
      // Store-and-forward for phones that are off: the push is contentless and idempotent, so a late one is harmless.
      "apns-expiration": String(Math.floor(Date.now() / 1000) + EXPIRATION_SECONDS),
      // Our own id, so a push that timed out can still be matched with APNs's records.
      "apns-id": apnsId,
      "content-type": "application/json",
    };
    const lane = pickLane();
    lane.streams += 1;
    inFlight += 1;
    lastUsedAt = Date.now();
    try {
      let answer = await sendOnce(sessionOf(lane), headers, waiting);
      // A connection that died under us (server restart, GOAWAY race, idle reset) is reopened once,
      // transparently; a duplicate Wallet push is harmless, a lost one leaves a stale card.
      // (sessionOf replaces the lane's connection if it is closed or destroyed.)
      if (answer.kind === "connection") answer = await sendOnce(sessionOf(lane), headers, waiting);
      return classifyApnsAnswer(answer, apnsId);
    } finally {
      lane.streams -= 1;
      inFlight -= 1;
      lastUsedAt = Date.now();
    }
  }

  async function closeSession(open: ClientHttp2Session | null): Promise<void> {
    if (!open || open.destroyed) return;
    if (open.closed) {
      open.destroy();
      return;
    }
    await new Promise<void>((resolve) => open.close(() => resolve()));
  }

  async function close(): Promise<void> {
    closed = true;
    const open = lanes.map((lane) => lane.session);
    for (const lane of lanes) lane.session = null;
    await Promise.all(open.map(closeSession));
  }

  return {
    push,
    close,
    get inFlight() {
      return inFlight;
    },
    get lastUsedAt() {
      return lastUsedAt;
    },
  };
}

// A process-wide pool: one client per key (the certificate fingerprint), so every push sent with
// the same pass certificate shares its connections, and certificates nobody uses stop holding them.
export const APNS_IDLE_MS = 5 * 60_000;
const SWEEP_EVERY_MS = 60_000;
const pool = new Map<string, { client: ApnsClient; touchedAt: number }>();
let sweeper: NodeJS.Timeout | undefined;

function sweepIdleClients() {
  const now = Date.now();
  for (const [key, entry] of pool) {
    const idleFor = now - Math.max(entry.touchedAt, entry.client.lastUsedAt);
    if (entry.client.inFlight === 0 && idleFor > APNS_IDLE_MS) {
      pool.delete(key);
      void entry.client.close();
    }
  }
  if (pool.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** The shared client for `key`; `factory` runs only when none is open. Take it per batch rather than keeping it. */
export function getApnsClient(key: string, factory: () => ApnsClientOptions): ApnsClient {
  let entry = pool.get(key);
  if (!entry) {
    entry = { client: createApnsClient(factory()), touchedAt: Date.now() };
    pool.set(key, entry);
  }
  entry.touchedAt = Date.now();
  if (!sweeper) {
    sweeper = setInterval(sweepIdleClients, SWEEP_EVERY_MS);
    // The sweeper is housekeeping; it must never be the reason a process stays up.
    sweeper.unref();
  }
  return entry.client;
}

export async function closeAllApnsClients(): Promise<void> {
  const clients = [...pool.values()].map((entry) => entry.client);
  pool.clear();
  if (sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
  await Promise.all(clients.map((client) => client.close()));
}
