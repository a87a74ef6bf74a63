/** Domain errors: services throw them, the action and API wrappers map them to answers. Messages are translation keys. */
export type ErrorCode = "not_found" | "forbidden" | "conflict" | "validation" | "rate_limited" | "unauthorized";

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
    readonly params?: Record<string, string | number>,
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

export class ForbiddenError extends AppError {
  constructor(message = "errors.forbidden") {
    super("forbidden", message);
  }
}

export function fieldError(field: string, message: string): AppError {
  return new AppError("validation", message, { [field]: message });
}
