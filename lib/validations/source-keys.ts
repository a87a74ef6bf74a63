import { z } from "zod";

/**
 * The keys an object was given with, in order and each with where it sits in its input, for an object
 * whose keys may repeat: JSON.parse keeps only the last of a repeated key and a form's rows are read into
 * one object by key, both silently. The reader marks the object with them (a symbol, so it is never
 * read as data); `refuseRepeatedKeys` then refuses a repeat instead of merging it.
 */
export const SOURCE_KEYS = Symbol.for("carddesk.sourceKeys");
export type SourceKey = { key: string; path: (string | number)[] };

export function markSourceKeys(target: object, keys: SourceKey[]): void {
  Object.defineProperty(target, SOURCE_KEYS, { value: keys, enumerable: false, configurable: true });
}

/**
 * An object schema whose keys must not repeat in its input (as `markSourceKeys` recorded them): each
 * repeat is an issue at its own place (the form's row, or the API's key) with `message`.
 */
export function refuseRepeatedKeys<T extends z.ZodType>(schema: T, message: string) {
  return z.preprocess((value, ctx) => {
    const keys = value && typeof value === "object" ? (value as { [SOURCE_KEYS]?: SourceKey[] })[SOURCE_KEYS] : undefined;
    const seen = new Set<string>();
    for (const { key, path } of keys ?? []) {
      if (seen.has(key)) ctx.addIssue({ code: "custom", path, message, input: value });
      seen.add(key);
    }
    return value;
  }, schema);
}
