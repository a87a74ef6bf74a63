/** What every cabinet action returns; `error` and field messages are translation keys. */
export type ActionResult<T = unknown> =
  | { ok: true; data?: T }
  | {
      ok: false;
      code: string;
      error: string;
      fieldErrors?: Record<string, string>;
      params?: Record<string, string | number>;
      /** Facts the form acts on (AppError's `data`), e.g. the card that already exists. */
      data?: Record<string, unknown>;
      /** What the user typed (never passwords), so the form keeps it after a refusal. */
      values?: Record<string, string>;
    };

/** Any wrapped action, whatever its data type (method syntax keeps parameters bivariant). */
export type FormAction = {
  bivarianceHack(previous: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>>;
}["bivarianceHack"];
