import "server-only";
import type { z } from "zod";
import type { Operation } from "./openapi";

/** What every part of the OpenAPI document (lib/api/openapi*.ts) builds with, written once. */

export type Json = Record<string, unknown>;
/** What lib/api/openapi.ts hands each part: its operation builder and its query-parameter reader. */
export type Helpers = { operation: (op: Operation) => Json; queryParameters: (schema: z.ZodType) => Json[] };

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** The country the document's examples are written for (phone numbers in requests are read in it). */
export const DOC_COUNTRY = "RU";
/** A success answer: its status, description, schema and (when given) example. */
export const ok = (status: string, description: string, schema: string, example?: unknown): [string, Json] => [
  status,
  { description, content: { "application/json": { schema: ref(schema), ...(example !== undefined && { example }) } } },
];

/** The optional `Idempotency-Key` of a creating request (lib/api/idempotency). */
export const idempotencyKeyParameter = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Up to 255 printable ASCII characters, unique per request: within 24 hours a retry with the same key answers the first result (`Idempotent-Replayed: true`) instead of doing it again; the same key with another request is a `conflict`.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};
