import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/db";
import type { Card, CardTemplate, Customer } from "@/db/schema";
import type { CardKeyset } from "@/db/queries/cards-api";
import { CardExistsError, getCardOrThrow } from "@/lib/cards";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import { cardLinks } from "@/lib/wallet/pass";
import { ApiError, invalidField } from "./errors";
import { expiringOf } from "@/lib/ledger/lots";
import type { ApiCard, ApiCardDetail, ApiTemplate } from "./schemas";

export function presentCard({ card, customer }: { card: Card; customer: Customer | null }): ApiCard {
  return {
    id: card.id,
    serialNumber: card.serialNumber,
    number: card.number,
    status: card.status,
    templateId: card.templateId,
    customer: customer ? { id: customer.id, phone: customer.phone, email: customer.email, name: customer.name } : null,
    values: { balance: card.balance, discount: card.discount, custom: card.custom },
    expiresAt: card.expiresAt?.toISOString() ?? null,
    createdAt: card.createdAt.toISOString(),
    updatedAt: card.updatedAt.toISOString(),
    links: cardLinks(card),
  };
}

export function presentTemplate(template: CardTemplate): ApiTemplate {
  return {
    id: template.id,
    name: template.name,
    kind: template.kind,
    version: template.currentVersion,
    archived: template.archivedAt !== null,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
  };
}

/** A card as the API shows it, read within the merchant: another merchant's id is simply not found. */
export async function loadApiCard(db: Db, merchantId: string, id: string): Promise<ApiCard> {
  return presentCard(await getCardOrThrow(db, merchantId, id));
}

/** One card as GET /cards/{id} and PATCH answer it: with what of its points expires when (as the till's lookup shows it). */
export async function loadApiCardDetail(db: Db, merchantId: string, id: string): Promise<ApiCardDetail> {
  const found = await getCardOrThrow(db, merchantId, id);
  const expiring = await expiringOf(db, found.card.id);
  return { ...presentCard(found), expiring: expiring.map((e) => ({ points: e.points, at: e.at.toISOString() })) };
}

/**
 * The card's ETag: a strong validator of the card as GET shows it (a hash of that JSON), so it moves
 * with every change anyone can see, the holder's details, status and `updatedAt` included, and two
 * reads of an unchanged card give the same tag.
 */
export function cardETag(card: ApiCard | ApiCardDetail): string {
  return `"${createHash("sha256").update(JSON.stringify(card)).digest("base64url").slice(0, 27)}"`;
}

/** `If-Match` as sent: `*`, the entity tags it lists (weak ones kept with their `W/`), or null when absent. */
export type IfMatch = "*" | string[] | null;

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, listed with commas and optional whitespace.
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

export function parseIfMatch(header: string | null): IfMatch {
  if (header === null) return null;
  const value = header.trim();
  if (value === "*") return "*";
  const tags = value
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (!tags.length || !tags.every((t) => ENTITY_TAG.test(t))) throw new ApiError("bad_request", "api.errors.ifMatch");
  return tags;
}

/**
 * Whether `If-Match` lets a change go ahead on a card whose tag is `etag`: `*` for any card that
 * exists, otherwise one of the listed tags equal to it by strong comparison (RFC 9110 §13.1.1), so a
 * weak tag (`W/"…"`) never matches.
 */
export function ifMatchHolds(condition: "*" | string[], etag: string): boolean {
  return condition === "*" || condition.includes(etag);
}

/**
 * If-Match as a card change's precondition: checked on the card as the change's own transaction sees
 * it with the row locked, so a change in between is caught (412 `precondition_failed`), never lost.
 * The card missing is the change's own 404, not a failed precondition.
 */
export function ifMatchPrecondition(merchantId: string, id: string, condition: IfMatch) {
  if (condition === null || condition === "*") return undefined;
  return async (tx: Db) => {
    const etag = cardETag(await loadApiCardDetail(tx, merchantId, id));
    if (!ifMatchHolds(condition, etag)) throw new ApiError("precondition_failed", "api.errors.preconditionFailed", undefined, { etag }, { etag });
  };
}

// The card services name the fields of the cabinet's flat form; the API nests the values.
const API_FIELD_PATHS: Record<string, string> = { balance: "values.balance", discount: "values.discount", custom: "values.custom" };

/** Rethrows a card service's refusal with its field paths as the API request has them. */
export function inApiFieldPaths(err: unknown): never {
  if (err instanceof AppError && err.fieldErrors) {
    const renamed = Object.fromEntries(Object.entries(err.fieldErrors).map(([field, message]) => [API_FIELD_PATHS[field] ?? field, message]));
    throw new AppError(err.code, err.message, renamed, err.params, err.data);
  }
  throw err;
}

/** Rethrows an issue's refusal as the API tells it: the card a phone already holds whole in `error.data.card`, field paths nested. */
export async function inApiIssueTerms(db: Db, merchantId: string, err: unknown): Promise<never> {
  if (err instanceof CardExistsError)
    throw new AppError("card_exists", err.message, undefined, err.params, { card: await loadApiCard(db, merchantId, err.card.id) });
  return inApiFieldPaths(err);
}

/** Cursors are opaque to clients (base64url of the keyset), so the pagination can change without breaking them. */
export function encodeCursor(keyset: CardKeyset): string {
  return Buffer.from(JSON.stringify([keyset.micros, keyset.id])).toString("base64url");
}

export function decodeCursor(cursor: string): CardKeyset {
  try {
    const [micros, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof micros === "string" && /^\d{1,18}$/.test(micros) && isUuid(id)) return { micros, id };
  } catch {
    // Not base64 JSON: told below like any other cursor this API did not make.
  }
  throw invalidField("cursor", "api.errors.cursor");
}
