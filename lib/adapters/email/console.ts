import { randomUUID } from "node:crypto";
import { logger } from "@/lib/logger";
import type { EmailAdapter } from "../types";

/** Development and test e-mail: the message is logged; the outbox row keeps its text for reading. */
export const consoleEmailAdapter: EmailAdapter = {
  name: "console",
  async send(message) {
    logger.info("email (console adapter)", { to: message.to, subject: message.subject, text: message.text });
    return { providerMessageId: `console-${randomUUID()}` };
  },
};
