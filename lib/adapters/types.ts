/** What every outside messaging provider answers with. `costMinor` in the provider's currency, minor units. */
export type SendResult = { providerMessageId: string; costMinor?: number; currency?: string };

/**
 * Why a provider refused, in words a merchant can act on; the UI shows `providers.errors.<code>`.
 * `unknown` keeps the provider's own text in the message.
 */
export type ProviderErrorCode =
  | "auth"
  | "insufficient_funds"
  | "sender_not_approved"
  | "number_blocked"
  | "invalid_number"
  | "daily_limit"
  | "rate_limited"
  | "message_rejected"
  | "unavailable"
  | "unknown";

/** A provider refusal. `temporary` errors are retried with backoff; permanent ones fail the message. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly code: ProviderErrorCode = "unknown",
    /** The provider's own code and text, for the log and the outbox row. */
    readonly providerDetail?: string,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export type EmailMessage = { from: string; to: string; subject: string; text: string; html?: string; replyTo?: string };
export type SmsMessage = { to: string; text: string };

export type DeliveryStatus = { status: "queued" | "sent" | "delivered" | "failed"; reason?: string; costMinor?: number };
export type SmsCost = { costMinor: number; parts: number; currency: string };
export type Balance = { amount: number; currency: string };

export interface EmailAdapter {
  readonly name: string;
  send(message: EmailMessage): Promise<SendResult>;
}

export interface SmsAdapter {
  readonly name: string;
  /** Sends to one E.164 number; throws ProviderError with the provider's answer mapped to a code. */
  send(message: SmsMessage): Promise<SendResult>;
  /** The account's balance, for the settings page's "Check balance". */
  balance?(): Promise<Balance>;
  /** What one message to this number would cost, asked of the provider without sending (minor units, SMS parts). */
  cost?(message: SmsMessage): Promise<SmsCost>;
  /** What the provider knows of a sent message now (delivered, failed …). */
  status?(providerMessageId: string, to: string): Promise<DeliveryStatus>;
}
