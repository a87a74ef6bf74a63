import { randomUUID } from "node:crypto";
import { logger } from "@/lib/logger";
import type { SmsAdapter } from "../types";

/** Development and test SMS: the message is logged; the outbox row keeps its text for reading. */
export const consoleSmsAdapter: SmsAdapter = {
  name: "console",
  async send(message) {
    logger.info("sms (console adapter)", { to: message.to, text: message.text });
    return { providerMessageId: `console-${randomUUID()}` };
  },
  // Nothing is really sent: nothing costs anything.
  async cost({ text }) {
    return { costMinor: 0, parts: Math.max(1, Math.ceil(text.length / 70)), currency: "RUB" };
  },
};
