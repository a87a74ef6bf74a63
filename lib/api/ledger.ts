import "server-only";
import type { LedgerTransaction } from "@/db/schema";
import type { Posted, TransactionKeyset } from "@/lib/ledger";
import { lookupCard, maskPhone } from "@/lib/ledger/lookup";
import { isUuid } from "@/lib/validations/common";
import { presentCard } from "./cards";
import { ApiError, invalidField } from "./errors";
import type { ApiLookup, ApiTransaction } from "./ledger-schemas";

// Printable ASCII, as lib/api/idempotency.ts takes it.
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The till's writes need an `Idempotency-Key`: a retry must never accrue or redeem twice. */
export function requiredIdempotencyKey(request: Request): string {
  const key = request.headers.get("idempotency-key");
  if (key === null) throw new ApiError("bad_request", "ledger.errors.idempotencyKeyRequired");
  if (!KEY.test(key)) throw new ApiError("bad_request", "api.errors.idempotencyKey");
  return key;
}

export function presentTransaction(t: LedgerTransaction): ApiTransaction {
  return {
    id: t.id,
    type: t.type,
    status: t.status,
    cardId: t.cardId,
    points: t.points,
    accrued: t.accrued,
    redeemed: t.redeemed,
    balanceAfter: t.balanceAfter,
    amount: t.amount,
    shortfall: t.shortfall,
    reverses: t.reversesId,
    receipt: t.receipt,
    locationId: t.locationId,
    tillId: t.tillId,
    reason: t.reason,
    idempotencyKey: t.idempotencyKey,
    createdAt: t.createdAt.toISOString(),
  };
}

/** 201 with the transaction; a replay of an earlier request is marked `Idempotent-Replayed: true`, as POST /cards marks it. */
export function postedResponse({ transaction, replayed }: Posted): Response {
  return Response.json(presentTransaction(transaction), { status: 201, headers: replayed ? { "idempotent-replayed": "true" } : undefined });
}

export function presentLookup(found: Awaited<ReturnType<typeof lookupCard>>): ApiLookup {
  const { customer: _withPhone, ...card } = presentCard(found);
  return {
    card: { ...card, customer: found.customer ? { id: found.customer.id, name: found.customer.name } : null },
    holder: found.customer ? { name: found.customer.name, phoneMasked: maskPhone(found.customer.phone) } : null,
    balance: found.card.balance,
    level: found.level && {
      name: found.level.name,
      discountPercent: found.level.discountPercent,
      earnPercent: found.level.earnPercent,
      nextLevelIn: found.level.nextLevelIn,
    },
    discountPercent: found.discountPercent,
    redeemable: { maxPoints: found.maxPoints },
    stamps: found.stamps,
    expiring: found.expiring.map((e) => ({ points: e.points, at: e.at.toISOString() })),
  };
}

export function encodeTransactionCursor(keyset: TransactionKeyset): string {
  return Buffer.from(JSON.stringify([keyset.micros, keyset.id])).toString("base64url");
}

export function decodeTransactionCursor(cursor: string): TransactionKeyset {
  try {
    const [micros, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof micros === "string" && /^\d{1,18}$/.test(micros) && isUuid(id)) return { micros, id };
  } catch {
    // Not base64 JSON: refused below like any other cursor this API did not make.
  }
  throw invalidField("cursor", "api.errors.cursor");
}
