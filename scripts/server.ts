// npm start: the production web server. Next.js serves everything, except the PassKit web service's two
// hot GETs (a device's changed passes, a pass's latest version): every iPhone holding a card asks them
// after each push, so they are answered here first, through the same lib/wallet code as the route
// handlers, without Next's per-request routing (about 0.5 ms of CPU a request on its own; see bench/wallet-service).
//
// It listens before anything else: until the database is reachable and migrated (retried with
// back-off, see lib/boot) every request gets a 503 and /api/health says why, so a load balancer sees
// an instance that is not ready rather than a refused connection.
import http from "node:http";
import { appendPeerAddress } from "@/lib/auth/client-ip";

// Like `next start`: a production server unless told otherwise.
(process.env as Record<string, string>).NODE_ENV ??= "production";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;

const { boot, bootingHealth } = await import("@/lib/boot");
const { logger } = await import("@/lib/logger");

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Until start-up is done: /api/health explains, everything else is asked to come back. */
const notReady: Listener = (req, res) => {
  const health = new URL(req.url ?? "/", "http://localhost").pathname === "/api/health";
  const body = health ? JSON.stringify(bootingHealth()) : "Service starting, try again shortly.\n";
  res.writeHead(503, {
    "content-type": health ? "application/json" : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "retry-after": "5",
  });
  res.end(body);
};

let listener: Listener = notReady;

const server = http.createServer((req, res) => {
  // Before anything reads the headers: the client address per-address limits go by (lib/auth/client-ip).
  appendPeerAddress(req);
  listener(req, res);
});

// Idle keep-alive connections stay open longer than a load balancer's (60 s is the usual idle timeout),
// so the server never closes one just as a client or proxy reuses it (a reset request).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, hostname, () => logger.info("CardDesk listening", { port }));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    // Let in-flight requests finish, but do not hang on keep-alive connections.
    setTimeout(() => process.exit(0), 3000).unref();
    server.closeIdleConnections();
  });
}

// Migrations (and, on the embedded database, the worker) before the first real request: the fast path
// below reaches the database without going through Next. Resolves only once it has worked.
await boot();

const { default: next } = await import("next");
const app = next({ dev: process.env.NODE_ENV !== "production", port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

const { getDb } = await import("@/db");
const { answerApiFastPath } = await import("./api-fast-path");
const { answerLatestPass, answerSerials } = await import("@/lib/wallet/answers");
type Answer = Awaited<ReturnType<typeof answerSerials>>;

const PREFIX = "/api/wallet/v1/";

/** The fast path's answer, or null to leave the request to Next (anything but the two GETs). */
function walletAnswer(req: http.IncomingMessage): Promise<Answer> | null {
  if (req.method !== "GET" || !req.url?.startsWith(PREFIX)) return null;
  const url = new URL(req.url, "http://localhost");
  let parts: string[];
  try {
    parts = url.pathname.slice(PREFIX.length).split("/").map(decodeURIComponent);
  } catch {
    return null;
  }
  if (parts.length === 4 && parts[0] === "devices" && parts[2] === "registrations" && parts.every(Boolean)) {
    return answerSerials(getDb(), parts[1], parts[3], url.searchParams.get("passesUpdatedSince"));
  }
  if (parts.length === 3 && parts[0] === "passes" && parts.every(Boolean)) {
    return answerLatestPass(getDb(), parts[1], parts[2], req.headers.authorization ?? null, req.headers["if-modified-since"] ?? null);
  }
  return null;
}

function send(res: http.ServerResponse, answer: Answer) {
  const body = answer.body ?? "";
  res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const apiFailed = (req: http.IncomingMessage) => (err: unknown) =>
  logger.error("API fast path failed", { url: req.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });

listener = (req, res) => {
  if (answerApiFastPath(req, res, apiFailed(req))) return;
  const answering = walletAnswer(req);
  if (!answering) {
    void handle(req, res);
    return;
  }
  answering.then(
    (answer) => send(res, answer),
    (err) => {
      logger.error("wallet web service failed", { url: req.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      if (!res.headersSent) send(res, { status: 500 });
    },
  );
};
logger.info("CardDesk ready", { port });
