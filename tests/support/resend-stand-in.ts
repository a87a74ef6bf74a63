// A local Resend: POST /emails with Resend's authentication, validation, idempotency keys and JSON error
// bodies ({ statusCode, name, message }, https://resend.com/docs/api-reference/errors), so the real
// adapter is tested over a socket. Only node: imports, so Vitest and Playwright can both load it.
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type ResendRequest = { method: string; path: string; headers: Record<string, string>; body: string; status?: number; answer?: string };

export type ResendEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  replyTo?: string[];
  idempotencyKey?: string;
};

/** A Resend refusal: 401 restricted_api_key, 403 validation_error, 422 validation_error, 429 rate_limit_exceeded, 500… */
export type ResendFailure = { status: number; name: string; message: string; retryAfterSeconds?: number };

export type ResendStandIn = {
  url: string;
  received: ResendRequest[];
  /** E-mails Resend accepted, in order. */
  emails: ResendEmail[];
  /** Later e-mails to this address are refused with this answer. */
  failRecipient(to: string, failure: ResendFailure): void;
  close(): Promise<void>;
};

const ADDRESS = /^(?:[^<>]*<\s*)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+(?:\s*>)?$/;
const ADDRESS_FORMAT = "The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.";
const list = (value: unknown): string[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value.map(String) : [String(value)]);

type Answer = { status: number; json: object; headers?: Record<string, string> };
const refuse = (status: number, name: string, message: string): Answer => ({ status, json: { statusCode: status, name, message } });

export async function startResendStandIn(options: { apiKeys?: string[] } = {}): Promise<ResendStandIn> {
  const apiKeys = new Set(options.apiKeys ?? ["re_test_key"]);
  const received: ResendRequest[] = [];
  const emails: ResendEmail[] = [];
  const failures = new Map<string, ResendFailure>();
  const idempotent = new Map<string, { hash: string; id: string }>();

  function answer(request: ResendRequest): Answer {
    if (request.path !== "/emails") return refuse(404, "not_found", "The requested endpoint does not exist.");
    if (request.method !== "POST") return refuse(405, "method_not_allowed", "Method is not allowed for the requested path.");
    const bearer = /^Bearer\s+(.*)$/i.exec(request.headers.authorization ?? "")?.[1]?.trim();
    if (!bearer) return refuse(401, "missing_api_key", "Missing API key in the authorization header");
    if (!apiKeys.has(bearer)) return refuse(403, "invalid_api_key", "API key is invalid");
    const key = request.headers["idempotency-key"];
    if (key !== undefined && (key.length < 1 || key.length > 256)) return refuse(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return refuse(400, "validation_error", "Invalid JSON body.");
    }
    for (const field of ["from", "to", "subject"]) {
      if (body[field] === undefined || body[field] === "") return refuse(422, "missing_required_field", `Missing \`${field}\` field.`);
    }
    if (!ADDRESS.test(String(body.from))) return refuse(422, "invalid_from_address", `Invalid \`from\` field. ${ADDRESS_FORMAT}`);
    const to = list(body.to) ?? [];
    if (to.length === 0 || to.length > 50 || !to.every((address) => ADDRESS.test(address))) {
      return refuse(422, "validation_error", `Invalid \`to\` field. ${ADDRESS_FORMAT}`);
    }
    if (body.html === undefined && body.text === undefined) return refuse(422, "validation_error", "Missing `html` or `text` field.");
    const failure = to.map((address) => failures.get(address)).find(Boolean);
    if (failure) {
      const headers = failure.retryAfterSeconds !== undefined ? { "retry-after": String(failure.retryAfterSeconds) } : undefined;
      return { ...refuse(failure.status, failure.name, failure.message), headers };
    }
    const hash = createHash("sha256").update(request.body).digest("hex");
    const earlier = key !== undefined ? idempotent.get(key) : undefined;
    if (earlier && earlier.hash !== hash) return refuse(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
    if (earlier) return { status: 200, json: { id: earlier.id } };
    const id = randomUUID();
    emails.push({
      id,
      from: String(body.from),
      to,
      subject: String(body.subject),
      ...(body.html !== undefined ? { html: String(body.html) } : {}),
      ...(body.text !== undefined ? { text: String(body.text) } : {}),
      ...(body.reply_to !== undefined ? { replyTo: list(body.reply_to) } : {}),
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    });
    if (key !== undefined) idempotent.set(key, { hash, id });
    return { status: 200, json: { id } };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      const request: ResendRequest = {
        method: req.method ?? "GET",
        path: new URL(req.url ?? "/", "http://stand-in").pathname,
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      const { status, json, headers: extra } = answer(request);
      request.status = status;
      request.answer = JSON.stringify(json);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...extra });
      res.end(request.answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    emails,
    failRecipient: (to, failure) => void failures.set(to, failure),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
