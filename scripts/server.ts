// npm start: the production web server. Next.js serves everything, except the PassKit web service's two
// hot GETs (a device's changed passes, a pass's latest version): every iPhone holding a card asks them
// after each push, so they are answered here first, through the same lib/wallet code as the route
// handlers, without Next's per-request routing (about 0.5 ms of CPU a request on its own; see bench/wallet-service).
import http from "node:http";

// Like `next start`: a production server unless told otherwise.
(process.env as Record<string, string>).NODE_ENV ??= "production";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;

const { default: next } = await import("next");
const app = next({ dev: process.env.NODE_ENV !== "production", port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

// Migrations (and, on the embedded database, the worker) before the first request: the fast path below
// reaches the database without going through Next, whose instrumentation would otherwise do this lazily.
const { boot } = await import("@/lib/boot");
await boot();

const { getDb } = await import("@/db");
const { logger } = await import("@/lib/logger");
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

const server = http.createServer((req, res) => {
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
});

server.listen(port, hostname, () => logger.info("CardDesk listening", { port }));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    // Let in-flight requests finish, but do not hang on keep-alive connections.
    setTimeout(() => process.exit(0), 3000).unref();
    server.closeIdleConnections();
  });
}
