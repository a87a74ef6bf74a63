import "server-only";
import { ProviderError } from "./types";

/**
 * The HTTP plumbing every outside provider shares (sms.ru, smsc.ru, and webhooks next): a timeout on
 * every call, a network failure or a silence told as temporary, 429 as rate limiting and 5xx as an
 * outage (both retried), any other non-2xx as a permanent refusal, and a body that is not the
 * provider's JSON (a proxy's error page, a maintenance notice) as temporary. Each error carries the
 * provider's own words in `providerDetail` for the log and the outbox row. What a provider's JSON
 * *says* (its own error codes) stays in its adapter.
 */

export type ProviderHttpOptions = {
  /** The provider's name as logs and messages show it: "sms.ru", "smsc.ru", "resend". */
  provider: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The sentence for a 429 (without the final full stop); default "<provider> is limiting requests". */
  throttled?: string;
  /** The sentence for a 5xx; default "<provider> is temporarily unavailable". */
  down?: string;
};

export const DEFAULT_PROVIDER_TIMEOUT_MS = 15_000;

const excerpt = (body: string) => body.slice(0, 200);

/** Why a request got no answer, in a few words: the timeout, or the network error's cause (ECONNREFUSED …). */
export function networkReason(err: unknown, timeoutMs: number): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === "TimeoutError") return `no answer in ${timeoutMs} ms`;
  return String(err.cause ?? err.message);
}

/** Sends one request; answers with the status, headers and text of whatever came back, or throws a temporary ProviderError. */
export async function providerFetch(
  url: string,
  init: RequestInit,
  options: ProviderHttpOptions,
): Promise<{ status: number; ok: boolean; headers: Headers; body: string }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    // A timeout may hide a request that did arrive; it is still retried, and providers without an idempotency key may repeat it.
    throw new ProviderError(`${options.provider} could not be reached.`, true, "unavailable", `${options.provider} network: ${networkReason(err, timeoutMs)}`);
  }
  const body = await response.text().catch(() => "");
  return { status: response.status, ok: response.ok, headers: response.headers, body };
}

/** The refusal an HTTP status alone tells (429, 5xx, other non-2xx), or null for a 2xx. */
export function httpStatusError(status: number, body: string, options: ProviderHttpOptions): ProviderError | null {
  const detail = `${options.provider} HTTP ${status}: ${excerpt(body)}`;
  if (status === 429) return new ProviderError(`${options.throttled ?? `${options.provider} is limiting requests`}.`, true, "rate_limited", detail);
  if (status >= 500) return new ProviderError(`${options.down ?? `${options.provider} is temporarily unavailable`}.`, true, "unavailable", detail);
  if (status < 200 || status >= 300) return new ProviderError(`${options.provider} refused the request (HTTP ${status}).`, false, "unknown", detail);
  return null;
}

/** A body as the provider's JSON; anything else is told as a temporary outage. */
export function parseProviderJson<T>(status: number, body: string, options: Pick<ProviderHttpOptions, "provider">): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new ProviderError(
      `${options.provider} answered with something that is not its API format.`,
      true,
      "unavailable",
      `${options.provider} HTTP ${status}: ${excerpt(body)}`,
    );
  }
}

/** providerFetch, then the status checks, then the JSON: what an adapter's `call` needs. */
export async function providerJson<T>(url: string, init: RequestInit, options: ProviderHttpOptions): Promise<T> {
  const { status, body } = await providerFetch(url, init, options);
  const refused = httpStatusError(status, body, options);
  if (refused) throw refused;
  return parseProviderJson<T>(status, body, options);
}
