/** Domain errors: services throw them, the action and API wrappers map them to answers. Messages are translation keys. */
export type ErrorCode =
  | "not_found"
  | "forbidden"
  | "conflict"
  | "card_exists"
  | "validation"
  | "rate_limited"
  | "unauthorized"
  // The till and the points ledger (lib/ledger):
  | "card_not_found"
  | "card_blocked"
  | "card_expired"
  | "several_cards"
  | "insufficient_balance"
  | "redeem_limit_exceeded"
  | "reverse_exceeds_original"
  | "already_reversed"
  // Gift certificates (lib/gift-certificates):
  | "no_free_codes"
  | "location_not_accepted"
  | "coupon_used"
  // At the till (lib/till):
  | "limit_exceeded"
  | "code_invalid"
  | "confirmation_expired"
  | "pin_required"
  | "number_unknown"
  | "number_active"
  | "qr_expired"
  | "qr_invalid"
  | "qr_required"
  | "number_mistyped";

/**
 * `params` fill the message's placeholders; `data` holds the facts a program acts on (the card that
 * already exists, the balance that is too low, the tries left): the API answers them as `error.data`
 * and forms read them from the action's result. One place for them, documented per code in lib/api.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
    readonly params?: Record<string, string | number>,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export class NotFoundError extends AppError {
  constructor(message = "errors.notFound") {
    super("not_found", message);
  }
}

export function fieldError(field: string, message: string): AppError {
  return new AppError("validation", message, { [field]: message });
}

type PgError = { code?: string; cause?: unknown; constraint?: string; constraint_name?: string; detail?: string; message?: string };

/**
 * Text from outside (a webhook receiver's answer, a provider's error) as PostgreSQL can hold it in
 * text and jsonb: NUL and lone UTF-16 surrogates become U+FFFD, as undecodable bytes already do.
 */
export const storableText = (text: string): string => text.replaceAll("\u0000", "\uFFFD").toWellFormed();

/**
 * PostgreSQL refusing a text it cannot hold: NUL in text (22021, "invalid byte sequence") or `\u0000`
 * in jsonb (22P05, "untranslatable character"). Input is checked for these at the boundary
 * (lib/validations/common.ts); this is the net under that check.
 */
export function isUnstorableText(err: unknown): boolean {
  for (let e = err as PgError | undefined, depth = 0; e && depth < 4; e = e.cause as PgError | undefined, depth++) {
    if (e.code === "22021" || e.code === "22P05") return true;
    // jsonb refusing a lone surrogate ("\ud800"): 22P02 says so in its detail or message.
    if (e.code === "22P02" && /unicode|surrogate/i.test(`${e.detail ?? ""} ${e.message ?? ""}`)) return true;
  }
  return false;
}

/**
 * A PostgreSQL unique violation (23505) from postgres.js or PGlite, possibly wrapped by drizzle;
 * with `on`, only one whose constraint name contains it.
 */
export function isUniqueViolation(err: unknown, on?: string): boolean {
  for (let e = err as PgError | undefined, depth = 0; e && depth < 4; e = e.cause as PgError | undefined, depth++) {
    if (e.code === "23505") return !on || `${e.constraint ?? e.constraint_name ?? ""} ${e.detail ?? ""}`.includes(on);
  }
  return false;
}
