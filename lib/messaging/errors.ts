import { ProviderError, type ProviderErrorCode } from "@/lib/adapters/types";

export const PROVIDER_ERROR_CODES: readonly ProviderErrorCode[] = [
  "auth",
  "insufficient_funds",
  "sender_not_approved",
  "number_blocked",
  "invalid_number",
  "daily_limit",
  "rate_limited",
  "message_rejected",
  "unavailable",
  "unknown",
];

const CODED = /^([a-z_]+): ([\s\S]*)$/;

/**
 * What the outbox keeps in `error`: the refusal's code first ("insufficient_funds: …"), so the cabinet
 * can say it in the reader's language, then the adapter's text and the provider's own answer.
 * An `unknown` refusal or a plain error keeps just its text.
 */
export function describeSendError(err: unknown): string {
  if (!(err instanceof ProviderError)) return err instanceof Error ? err.message : String(err);
  const text = err.providerDetail ? `${err.message} (${err.providerDetail})` : err.message;
  return err.code === "unknown" ? text : `${err.code}: ${text}`;
}

/** Reads `error` back: the code when it starts with one we know, and the text. */
export function parseSendError(error: string | null): { code: ProviderErrorCode | null; text: string } | null {
  if (!error) return null;
  const match = CODED.exec(error);
  if (match && (PROVIDER_ERROR_CODES as readonly string[]).includes(match[1])) return { code: match[1] as ProviderErrorCode, text: match[2] };
  return { code: null, text: error };
}

/** The refusal as the settings page's test buttons show it. */
export function providerAnswer(err: unknown): { code: ProviderErrorCode; detail: string } {
  if (err instanceof ProviderError) return { code: err.code, detail: err.providerDetail ? `${err.message} (${err.providerDetail})` : err.message };
  return { code: "unknown", detail: err instanceof Error ? err.message : String(err) };
}

/** What stands for a one-time code in every text staff can see (the outbox keeps the real text sealed). */
export const CODE_MASK = "••••••";
