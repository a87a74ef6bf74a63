import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { messagingSettings, type MessagingSettings } from "@/db/schema";

/** A merchant's messaging settings, or the defaults (console providers, built-in texts) when it has saved none. */
export async function getMessagingSettings(db: Db, merchantId: string): Promise<MessagingSettings> {
  const [row] = await db.select().from(messagingSettings).where(eq(messagingSettings.merchantId, merchantId));
  return (
    row ?? {
      merchantId,
      smsProvider: "console",
      smsSender: null,
      smsSealed: null,
      smsCodeTemplate: "",
      smsLinkTemplate: "",
      emailProvider: "console",
      emailFrom: null,
      emailSealed: null,
      updatedAt: new Date(0),
    }
  );
}
