import "server-only";
import { Resend } from "resend";
import { DEFAULT_PROVIDER_TIMEOUT_MS, httpStatusError } from "../http";
import { ProviderError, type EmailAdapter, type EmailMessage, type ProviderErrorCode, type SendResult } from "../types";

/*
 * Resend through its official SDK (`resend`). Sources: https://resend.com/docs/api-reference/emails/send-email,
 * https://resend.com/docs/api-reference/errors, https://resend.com/docs/dashboard/emails/idempotency-keys.
 *
 * POST /emails  Authorization: Bearer re_…, optional Idempotency-Key (≤ 256 chars, kept 24 h)
 *   { "from": "Shop <shop@example.com>", "to": "a@b.c", "subject": "…", "html": "…", "text": "…", "reply_to": "…" }
 *   200 → { "id": "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" }
 * Errors: { "statusCode": 422, "name": "validation_error", "message": "…" }
 *   400 invalid_idempotency_key, validation_error · 401 missing_api_key, restricted_api_key ·
 *   403 invalid_api_key; validation_error (only test e-mails until a domain is verified) ·
 *   409 invalid_idempotent_request (same key, other body), concurrent_idempotent_requests ·
 *   422 validation_error, invalid_from_address, missing_required_field, invalid_attachment, invalid_parameter ·
 *   429 rate_limit_exceeded, daily_quota_exceeded, monthly_quota_exceeded · 500 application_error, internal_server_error.
 * The SDK answers `{ data, error }` and never throws; a request that got no answer (network, timeout)
 * comes back as an error with `statusCode: null`.
 */

export type ResendConfig = {
  apiKey: string;
  /** RESEND_URL: Resend's API, or the local stand-in in tests. Passed to the SDK, so its own RESEND_BASE_URL is never read. */
  baseUrl?: string;
  timeoutMs?: number;
};

export type ResendSendOptions = {
  /** The same key for every attempt at one message, so a retry after a lost answer cannot send it twice. */
  idempotencyKey?: string;
};

export interface ResendAdapter extends EmailAdapter {
  send(message: EmailMessage, options?: ResendSendOptions): Promise<SendResult>;
}

type Refusal = { code: ProviderErrorCode; temporary: boolean; message: string };

const PROVIDER = { provider: "Resend", throttled: "Resend is limiting how fast e-mails are sent", down: "Resend is temporarily unavailable" };

/** Resend's own error names first; what the status alone tells (429, 5xx) is the shared rule (lib/adapters/http.ts). */
function classify(status: number, name: string): Refusal {
  if (status === 403 && name === "validation_error") {
    return { code: "sender_not_approved", temporary: false, message: "Resend will not send from this address until its domain is verified in Resend" };
  }
  if (status === 401 || status === 403) return { code: "auth", temporary: false, message: "Resend did not accept the API key" };
  if (status === 409 && name === "concurrent_idempotent_requests") {
    return { code: "unavailable", temporary: true, message: "Resend is still processing an earlier attempt at this e-mail" };
  }
  if (status === 429 && name === "daily_quota_exceeded") return { code: "daily_limit", temporary: false, message: "the Resend daily sending quota is used up" };
  // No code fits a monthly plan quota; `unknown` keeps Resend's own words next to ours.
  if (status === 429 && name === "monthly_quota_exceeded") return { code: "unknown", temporary: false, message: "the Resend monthly sending quota is used up" };
  if (status === 422 || (status === 400 && name === "validation_error"))
    return { code: "message_rejected", temporary: false, message: "Resend refused the e-mail" };
  const shared = httpStatusError(status, "", PROVIDER);
  if (shared && shared.code !== "unknown") return { code: shared.code, temporary: shared.temporary, message: shared.message.replace(/\.$/, "") };
  return { code: "unknown", temporary: false, message: "Resend refused the request" };
}

export function createResendAdapter(config: ResendConfig): ResendAdapter {
  const baseUrl = (config.baseUrl ?? "https://api.resend.com").replace(/\/+$/, "");
  const timeoutMs = config.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  // Without a key of its own the SDK would take RESEND_API_KEY from the environment: a merchant's missing key must never send as the platform.
  const client = config.apiKey ? new Resend(config.apiKey, { baseUrl }) : null;

  return {
    name: "resend",

    async send(message, options = {}): Promise<SendResult> {
      if (!client) throw new ProviderError("Resend did not accept the API key.", false, "auth", "resend: API key missing");
      const signal = AbortSignal.timeout(timeoutMs);
      const { data, error } = await client.emails.send(
        {
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        },
        { ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}), signal },
      );
      if (!error) {
        if (data?.id) return { providerMessageId: data.id };
        throw new ProviderError("Resend accepted the e-mail without an id.", false, "unknown", `resend: ${JSON.stringify(data).slice(0, 200)}`);
      }
      if (error.statusCode === null || error.statusCode === undefined) {
        // No answer: a network failure or our timeout. A retry is safe with the idempotency key.
        const reason = signal.aborted ? `no answer in ${timeoutMs} ms` : error.message;
        throw new ProviderError("Resend could not be reached.", true, "unavailable", `resend network: ${reason}`);
      }
      const refusal = classify(error.statusCode, error.name ?? "");
      const detail = `resend ${error.statusCode}${error.name ? ` ${error.name}` : ""}: ${error.message ?? ""}`;
      // Resend's message names the field or limit at fault ("Invalid `to` field…"), which the merchant needs.
      throw new ProviderError(error.message ? `${refusal.message}: ${error.message}` : `${refusal.message}.`, refusal.temporary, refusal.code, detail);
    },
  };
}
