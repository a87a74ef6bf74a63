import "server-only";
import { ProviderError, type EmailAdapter, type EmailMessage, type ProviderErrorCode, type SendResult } from "../types";

/*
 * Resend REST API. Sources: https://resend.com/docs/api-reference/emails/send-email,
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
 */

export type ResendConfig = { apiKey: string; baseUrl?: string; fetch?: typeof fetch; timeoutMs?: number };

export type ResendSendOptions = {
  /** The same key for every attempt at one message, so a retry after a lost answer cannot send it twice. */
  idempotencyKey?: string;
};

export interface ResendAdapter extends EmailAdapter {
  send(message: EmailMessage, options?: ResendSendOptions): Promise<SendResult>;
}

type ResendError = { statusCode?: number; name?: string; message?: string };
type Refusal = { code: ProviderErrorCode; temporary: boolean; message: string };

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
  if (status === 429) return { code: "rate_limited", temporary: true, message: "Resend is limiting how fast e-mails are sent" };
  if (status >= 500) return { code: "unavailable", temporary: true, message: "Resend is temporarily unavailable" };
  if (status === 422 || (status === 400 && name === "validation_error")) return { code: "message_rejected", temporary: false, message: "Resend refused the e-mail" };
  return { code: "unknown", temporary: false, message: "Resend refused the request" };
}

export function createResendAdapter(config: ResendConfig): ResendAdapter {
  const baseUrl = (config.baseUrl ?? "https://api.resend.com").replace(/\/+$/, "");
  const fetchImpl = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? 15_000;

  return {
    name: "resend",

    async send(message, options = {}): Promise<SendResult> {
      const body = {
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        ...(message.replyTo ? { reply_to: message.replyTo } : {}),
      };
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/emails`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${config.apiKey}`,
            "content-type": "application/json",
            ...(options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const reason = err instanceof Error ? (err.name === "TimeoutError" ? `no answer in ${timeoutMs} ms` : String(err.cause ?? err.message)) : String(err);
        throw new ProviderError("Resend could not be reached.", true, "unavailable", `resend network: ${reason}`);
      }
      const raw = await response.text();
      let parsed: (ResendError & { id?: string }) | undefined;
      try {
        parsed = JSON.parse(raw) as ResendError & { id?: string };
      } catch {
        parsed = undefined;
      }
      if (response.ok) {
        if (parsed?.id) return { providerMessageId: parsed.id };
        throw new ProviderError("Resend accepted the e-mail without an id.", false, "unknown", `resend ${response.status}: ${raw.slice(0, 200)}`);
      }
      const name = parsed?.name ?? "";
      const text = parsed?.message;
      const refusal = classify(response.status, name);
      const detail = `resend ${response.status}${name ? ` ${name}` : ""}: ${text ?? raw.slice(0, 200)}`;
      // Resend's message names the field or limit at fault ("Invalid `to` field…"), which the merchant needs.
      throw new ProviderError(text ? `${refusal.message}: ${text}` : `${refusal.message}.`, refusal.temporary, refusal.code, detail);
    },
  };
}
