import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { createNotification } from "@/lib/notifications";
import { queueMessage } from "@/lib/outbox";

/** Failed deliveries in a row after which the owners hear of it. */
export const FAILURE_ALERTS = [5, 10, 15] as const;
/** Failures spanning this long with no success turn the endpoint off. */
export const DISABLE_AFTER_DAYS = 5;

export type EndpointAlert = { kind: "webhookFailing"; failures: number } | { kind: "webhookDisabled"; reason: "gone" | "failing" };

/**
 * Tells the merchant's owners that an endpoint is failing or was turned off: a top-bar notification
 * and an e-mail to each active owner, in the caller's transaction (the outbox sends after commit or
 * its sweep does). Returns the outbox ids to dispatch.
 */
export async function alertOwners(tx: Db, merchantId: string, endpoint: { id: string; url: string }, alert: EndpointAlert): Promise<string[]> {
  const params: Record<string, string | number> =
    alert.kind === "webhookFailing" ? { url: endpoint.url, failures: alert.failures } : { url: endpoint.url, reason: alert.reason };
  await createNotification(tx, merchantId, { kind: alert.kind, level: alert.kind === "webhookDisabled" ? "error" : "warning", params });
  const owners = await tx
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.merchantId, merchantId), eq(users.role, "owner"), eq(users.active, true)));
  const page = `${getEnv().APP_URL}/settings/webhooks/${endpoint.id}`;
  const [subject, body] =
    alert.kind === "webhookFailing"
      ? [
          "CardDesk: a webhook endpoint is failing / веб-хук не принимает события",
          `The endpoint ${endpoint.url} has failed ${alert.failures} deliveries in a row. CardDesk keeps retrying; see the delivery log at ${page}.\n\n` +
            `Адрес ${endpoint.url} не принял ${alert.failures} доставок подряд. CardDesk продолжает попытки; журнал доставок: ${page}.`,
        ]
      : [
          "CardDesk: a webhook endpoint was turned off / веб-хук отключён",
          `The endpoint ${endpoint.url} was turned off (${alert.reason === "gone" ? "it answered 410 Gone" : `no delivery succeeded for ${DISABLE_AFTER_DAYS} days`}). Turn it back on and replay what failed at ${page}.\n\n` +
            `Адрес ${endpoint.url} отключён (${alert.reason === "gone" ? "он ответил 410 Gone" : `${DISABLE_AFTER_DAYS} дней без успешной доставки`}). Включите его и повторите неудачные доставки: ${page}.`,
        ];
  const ids: string[] = [];
  for (const owner of owners) ids.push(await queueMessage(tx, { merchantId, channel: "email", kind: "staff", recipient: owner.email, subject, body }));
  return ids;
}
