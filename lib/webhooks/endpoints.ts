import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { AppError, NotFoundError } from "@/lib/errors";
import type { CreateWebhookInput, UpdateWebhookInput } from "@/lib/validations/webhooks";
import { generateWebhookSecret, openWebhookSecret, sealWebhookSecret } from "./signing";
import { checkWebhookUrl, WebhookAddressError } from "./ssrf";

/** How long a rotated-out secret keeps being signed with, so receivers can switch without losing a message. */
export const PREVIOUS_SECRET_HOURS = 24;

/** An endpoint as staff and the API see it: never the secret. */
export type WebhookEndpointView = {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
};

export function presentEndpoint(row: WebhookEndpoint): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    consecutiveFailures: row.consecutiveFailures,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The save-time address check, told as a field error with the reason in `error.data`. */
export async function assertWebhookUrl(url: string): Promise<void> {
  try {
    await checkWebhookUrl(url);
  } catch (err) {
    if (!(err instanceof WebhookAddressError)) throw err;
    const key = `webhooks.errors.address.${err.reason}`;
    throw new AppError(
      "validation",
      key,
      { url: key },
      { address: err.address ?? "" },
      { reason: err.reason, ...(err.address ? { address: err.address } : {}) },
    );
  }
}

export async function getEndpointOrThrow(db: Db, merchantId: string, id: string): Promise<WebhookEndpoint> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)));
  if (!row) throw new NotFoundError();
  return row;
}

export async function listEndpoints(db: Db, merchantId: string): Promise<WebhookEndpoint[]> {
  // Not paginated: a merchant has a handful of endpoints (one per integration).
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.merchantId, merchantId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

/** Creates an endpoint; the secret is returned this once and kept only sealed. */
export async function createEndpoint(db: Db, actor: AuditActor, input: CreateWebhookInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  await assertWebhookUrl(input.url);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  return db.transaction(async (tx) => {
    const [endpoint] = await tx
      .insert(webhookEndpoints)
      .values({
        id,
        merchantId: actor.merchantId,
        url: input.url,
        description: input.description ?? "",
        events: input.events,
        secretSealed: sealWebhookSecret(actor.merchantId, id, secret),
      })
      .returning();
    await recordAudit(tx, actor, { action: "webhook.create", entityType: "webhook", entityId: id, after: presentEndpoint(endpoint) });
    return { endpoint, secret };
  });
}

export async function updateEndpoint(db: Db, actor: AuditActor, id: string, input: UpdateWebhookInput): Promise<WebhookEndpoint> {
  if (input.url !== undefined) await assertWebhookUrl(input.url);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, actor.merchantId)))
      .for("update");
    if (!before) throw new NotFoundError();
    const reenabled = input.enabled === true && !before.enabled;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.events !== undefined ? { events: input.events } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled, disabledReason: null, disabledAt: input.enabled ? null : sql`now()` } : {}),
        // Turned back on: a fresh start for the failure count and the five-day clock.
        ...(reenabled ? { consecutiveFailures: 0, failingSince: null } : {}),
        updatedAt: sql`now()`,
      })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, actor.merchantId)))
      .returning();
    await recordAudit(tx, actor, {
      action: "webhook.update",
      entityType: "webhook",
      entityId: id,
      before: presentEndpoint(before),
      after: presentEndpoint(row),
    });
    return row;
  });
}

export async function deleteEndpoint(db: Db, actor: AuditActor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, actor.merchantId)))
      .returning();
    if (!row) throw new NotFoundError();
    await recordAudit(tx, actor, { action: "webhook.delete", entityType: "webhook", entityId: id, before: presentEndpoint(row) });
  });
}

/** A new secret, returned once; the old one is still signed with for PREVIOUS_SECRET_HOURS. */
export async function rotateEndpointSecret(db: Db, actor: AuditActor, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = generateWebhookSecret();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, actor.merchantId)))
      .for("update");
    if (!before) throw new NotFoundError();
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({
        secretSealed: sealWebhookSecret(actor.merchantId, id, secret),
        previousSecretSealed: before.secretSealed,
        previousSecretExpiresAt: sql`now() + make_interval(hours => ${PREVIOUS_SECRET_HOURS})`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, actor.merchantId)))
      .returning();
    await recordAudit(tx, actor, { action: "webhook.rotateSecret", entityType: "webhook", entityId: id });
    return { endpoint, secret };
  });
}

/** The secrets to sign with now: the current one, and the previous one while it is still valid. */
export function signingSecrets(
  endpoint: Pick<WebhookEndpoint, "id" | "merchantId" | "secretSealed" | "previousSecretSealed" | "previousSecretExpiresAt">,
  now = Date.now(),
) {
  const secrets = [openWebhookSecret(endpoint.merchantId, endpoint.id, endpoint.secretSealed)];
  if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > now)
    secrets.push(openWebhookSecret(endpoint.merchantId, endpoint.id, endpoint.previousSecretSealed));
  return secrets;
}
