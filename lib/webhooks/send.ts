import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkWebhookUrl } from "./ssrf";
import { storableText } from "@/lib/errors";

export const SEND_TIMEOUT_MS = 15_000;
/** At most this much of an answer is read (and kept); the rest is not waited for. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const USER_AGENT = "CardDesk-Webhooks/1.0 (+https://carddesk.app)";

export type SendOutcome = {
  /** The HTTP status, or null when no answer came (refused address, connection error, timeout). */
  status: number | null;
  durationMs: number;
  responseBody: string;
  retryAfter: string | null;
  error: string | null;
};

/**
 * Keep-alive agents, one per checked address: each agent's sockets can only ever connect to the address
 * it was made for (its lookup answers nothing else), so a reused connection goes where a check said it
 * may, and a name that now resolves elsewhere gets a new check and a new agent. A busy endpoint is one
 * pool of sockets (one TLS handshake per socket).
 */
const agents = new Map<string, http.Agent>();
const MAX_AGENTS = 500;

function agentFor(protocol: string, address: string, family: number): http.Agent {
  const key = `${protocol}|${address}`;
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= MAX_AGENTS) {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    }
    const lookup: LookupFunction = (_host, options, callback) =>
      (options as { all?: boolean }).all
        ? (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }])
        : (callback as (e: null, a: string, f: number) => void)(null, address, family);
    const options = { keepAlive: true, maxSockets: 64, lookup };
    agent = protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/**
 * POSTs one signed message. Never follows a redirect (a 3xx is an answer like any other); gives up
 * after `timeoutMs` whatever the server is doing; reads at most MAX_RESPONSE_BYTES of the answer.
 */
export async function postWebhook(target: string, headers: Record<string, string>, body: string, timeoutMs = SEND_TIMEOUT_MS): Promise<SendOutcome> {
  const started = performance.now();
  // What the receiver answered is stored as text and JSON: a NUL in it would make PostgreSQL refuse the
  // batch's settling statement, and with it other merchants' deliveries in the same batch.
  const done = (partial: Omit<SendOutcome, "durationMs">): SendOutcome => ({
    ...partial,
    responseBody: storableText(partial.responseBody),
    error: partial.error === null ? null : storableText(partial.error),
    durationMs: Math.round(performance.now() - started),
  });
  let url: URL;
  let agent: http.Agent;
  try {
    // Resolved and checked now, at send time; the socket then connects to the checked address only.
    const checked = await checkWebhookUrl(target);
    url = checked.url;
    agent = agentFor(url.protocol, checked.addresses[0].address, checked.addresses[0].family);
  } catch (err) {
    return done({ status: null, responseBody: "", retryAfter: null, error: err instanceof Error ? err.message : String(err) });
  }
  const client = url.protocol === "https:" ? https : http;
  const payload = Buffer.from(body);
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(outcome));
    };
    const request = client.request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...headers, "content-type": "application/json", "user-agent": USER_AGENT, "content-length": String(payload.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = () => {
          const status = response.statusCode ?? 0;
          const retryAfter = response.headers["retry-after"] ?? null;
          finish({ status, responseBody: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8"), retryAfter, error: null });
        };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) {
            answer();
            // Enough read: the rest is not ours to wait for, and a socket mid-answer cannot be reused.
            response.destroy();
          }
        });
        response.on("end", answer);
        response.on("error", answer);
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, responseBody: "", retryAfter: null, error: `timed out after ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on("error", (err) => finish({ status: null, responseBody: "", retryAfter: null, error: err.message }));
    request.end(payload);
  });
}
