// npm start's fast path for the till's two hot calls: a card lookup and a posted transaction. A till asks
// them on every receipt, so they are answered here, before Next's router (which costs several ms of CPU a
// request on its own; see bench/pos), through the very route handlers Next serves them with: the same
// key check, scopes, rate limit, validation, ledger and error envelope, and the API's security headers.
// Anything else — other methods, other paths — is left to Next.
import type http from "node:http";
import { POST as postTransaction } from "@/app/api/v1/cards/[id]/transactions/route";
import { GET as lookup } from "@/app/api/v1/pos/lookup/route";
import { API_BODY_LIMIT_BYTES } from "@/lib/files/limits";
import { API_SECURITY_HEADERS } from "@/lib/security/headers";

type RouteHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;
type Route = { handler: RouteHandler<Record<string, string>>; params: Record<string, string> };

const LOOKUP = "/api/v1/pos/lookup";
const TRANSACTIONS = /^\/api\/v1\/cards\/([^/]+)\/transactions\/?$/;

/** Which handler answers this request here, or null to leave it to Next. */
function routeOf(method: string | undefined, pathname: string): Route | null {
  if (method === "GET" && pathname === LOOKUP) return { handler: lookup as RouteHandler<Record<string, string>>, params: {} };
  if (method !== "POST") return null;
  const match = TRANSACTIONS.exec(pathname);
  if (!match) return null;
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return { handler: postTransaction as RouteHandler<Record<string, string>>, params: { id } };
}

/**
 * The request's body, read up to one byte past the API's limit: a bigger one stops being kept (but is
 * drained, so the connection stays usable) and the handler's own reader refuses it with 413.
 */
function bodyOf(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size > API_BODY_LIMIT_BYTES) return;
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

async function answer(route: Route, req: http.IncomingMessage, url: URL, res: http.ServerResponse): Promise<void> {
  const body = req.method === "POST" ? await bodyOf(req) : undefined;
  const request = new Request(url, { method: req.method, headers: headersOf(req), body: body && new Uint8Array(body) });
  const response = await route.handler(request, { params: Promise.resolve(route.params) });
  const payload = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = { ...API_SECURITY_HEADERS };
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers["content-length"] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

/**
 * Answers the request if it is one of the till's hot calls and returns true; otherwise returns false
 * and leaves it untouched for Next. `onError` hears what went wrong outside the handler (which answers
 * its own errors in the API's envelope).
 */
export function answerApiFastPath(req: http.IncomingMessage, res: http.ServerResponse, onError: (err: unknown) => void): boolean {
  if (!req.url?.startsWith("/api/v1/")) return false;
  // A fixed origin: the Host header is the client's to write, and these handlers read only the path and query.
  const url = new URL(req.url, "http://localhost");
  const route = routeOf(req.method, url.pathname);
  if (!route) return false;
  answer(route, req, url, res).catch((err) => {
    onError(err);
    if (!res.headersSent) {
      const body = JSON.stringify({ error: { code: "internal", message: "Something went wrong on our side." } });
      res.writeHead(500, { ...API_SECURITY_HEADERS, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    } else res.destroy();
  });
  return true;
}
