import { z } from "zod";

/** Trimmed text; an empty form field becomes "". Messages are translation keys under `validation`. */
export const text = (max: number) => z.string().trim().max(max, { error: "validation.tooLong" });
export const requiredText = (max: number) => text(max).min(1, { error: "validation.required" });
export const email = () => z.string().trim().toLowerCase().pipe(z.email({ error: "validation.email" }).max(254, { error: "validation.tooLong" }));
/** For ids taken from a URL: anything else is simply "not found", never a database error. */
export const isUuid = (value: unknown): value is string => z.uuid().safeParse(value).success;

export const PASSWORD_MIN = 10;
/** Staff password rules: 10–128 characters with at least one letter and one digit. */
export const password = () =>
  z
    .string()
    .min(PASSWORD_MIN, { error: "validation.passwordShort" })
    .max(128, { error: "validation.tooLong" })
    .refine((v) => /\p{L}/u.test(v) && /\d/.test(v), { error: "validation.passwordWeak" });

/** Query string page number, 1-based; garbage becomes page 1. */
export const page = () => z.coerce.number().int().min(1).catch(1);
