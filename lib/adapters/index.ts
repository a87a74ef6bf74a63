import { consoleEmailAdapter } from "./email/console";
import { consoleSmsAdapter } from "./sms/console";
import type { EmailAdapter, SmsAdapter } from "./types";

// Real providers (Resend, sms.ru, smsc.ru) plug in here, chosen by merchant settings.
export function getEmailAdapter(_merchantId: string | null): EmailAdapter {
  return consoleEmailAdapter;
}

export function getSmsAdapter(_merchantId: string | null): SmsAdapter {
  return consoleSmsAdapter;
}
