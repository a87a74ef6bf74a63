/** What every outside messaging provider answers with. */
export type SendResult = { providerMessageId: string; costMinor?: number };

/** A provider refusal. `temporary` errors are retried with backoff; permanent ones fail the message. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export type EmailMessage = { from: string; to: string; subject: string; text: string; html?: string };
export type SmsMessage = { to: string; text: string };

export interface EmailAdapter {
  readonly name: string;
  send(message: EmailMessage): Promise<SendResult>;
}

export interface SmsAdapter {
  readonly name: string;
  send(message: SmsMessage): Promise<SendResult>;
}
