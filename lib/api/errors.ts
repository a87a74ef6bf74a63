import "server-only";
import { z } from "zod";
import { AppError, isUnstorableText, type ErrorCode } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { fieldErrorsOf } from "@/lib/validations/issues";
import { englishMessages } from "./messages";

/** Every code the REST API answers with, and its one status. Clients branch on `code`, never on `message`. */
export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  card_exists: 409,
  card_not_found: 404,
  card_blocked: 409,
  card_expired: 409,
  several_cards: 409,
  insufficient_balance: 409,
  reverse_exceeds_original: 409,
  already_reversed: 409,
  no_free_codes: 409,
  location_not_accepted: 409,
  coupon_used: 409,
  validation: 422,
  redeem_limit_exceeded: 422,
  limit_exceeded: 409,
  code_invalid: 422,
  confirmation_expired: 410,
  pin_required: 403,
  number_unknown: 422,
  number_active: 409,
  qr_expired: 410,
  qr_invalid: 422,
  qr_required: 422,
  number_mistyped: 422,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<ErrorCode | "bad_request" | "precondition_failed" | "payload_too_large" | "internal", number>;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export type ApiErrorDetail = { path: string; message: string };
export type ApiErrorBody = { error: { code: ApiErrorCode; message: string; details?: ApiErrorDetail[]; data?: Record<string, unknown> } };

/** An error only the API has (a bad header, a body that is not JSON); `message` is a translation key like AppError's. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly params?: Record<string, string | number>,
    readonly headers?: Record<string, string>,
    /** Facts for programs, answered as `error.data` (see ERROR_DATA in lib/api/schemas.ts). */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A validation error of the API's own input (query, header): same shape as a service's field error. */
export const invalidField = (path: string, message: string, params?: Record<string, string | number>) =>
  new AppError("validation", message, { [path]: message }, params);

type ErrorOptions = {
  params?: Record<string, string | number>;
  details?: Record<string, string>;
  headers?: Record<string, string>;
  data?: Record<string, unknown>;
};

async function errorResponse(code: ApiErrorCode, messageKey: string, options: ErrorOptions = {}) {
  const t = await englishMessages();
  const body: ApiErrorBody = { error: { code, message: t(messageKey, options.params) } };
  if (options.details) body.error.details = Object.entries(options.details).map(([path, key]) => ({ path, message: t(key, options.params) }));
  if (options.data) body.error.data = options.data;
  return Response.json(body, { status: API_ERROR_STATUS[code], headers: options.headers });
}

/** Maps whatever a handler threw to the API's error answer; anything unforeseen is logged and told as a bare 500. */
export async function toErrorResponse(err: unknown, request: Request): Promise<Response> {
  if (err instanceof ApiError) return errorResponse(err.code, err.message, { params: err.params, headers: err.headers, data: err.data });
  if (err instanceof AppError) return errorResponse(err.code, err.message, { params: err.params, details: err.fieldErrors, data: err.data });
  if (err instanceof z.ZodError) {
    // A rule on the whole body (e.g. "nothing to change") has the empty path.
    return errorResponse("validation", "api.errors.validation", { details: fieldErrorsOf(err, "") });
  }
  // Only reached when a text slipped past the boundary checks: still the client's input, never a 500.
  if (isUnstorableText(err)) {
    logger.warn("api request held text PostgreSQL cannot store", { method: request.method, url: request.url });
    return errorResponse("bad_request", "api.errors.unstorableText");
  }
  logger.error("api request failed", { method: request.method, url: request.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return errorResponse("internal", "api.errors.internal");
}
