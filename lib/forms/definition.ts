// Pure (no server-only): the cabinet's form editor and the public form read the same definition.
import { z } from "zod";
import { hasControlChars, multilineText, text } from "@/lib/validations/common";

export const FIELD_TYPES = ["name", "email", "birthday", "gender", "text", "number", "date", "choice", "checkbox"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const GENDERS = ["female", "male", "other"] as const;

/** A text in each of the app's languages; the public page shows the visitor's, else the other. */
export type Localized = { en: string; ru: string };
export const pick = (value: Localized, locale: string) => (locale === "ru" ? value.ru || value.en : value.en || value.ru);

const localized = (max: number, multiline = false) =>
  z.object({ en: multiline ? multilineText(max) : text(max), ru: multiline ? multilineText(max) : text(max) });
const someText = (v: Localized) => !!(v.en || v.ru);

/**
 * A merchant's pattern runs against strangers' input, so it must not be able to backtrack without end:
 * no back-references, no look-arounds, no quantified group that itself holds a quantifier (`(a+)+`)
 * or an alternation (`(a|a)*`), which are the shapes of catastrophic backtracking; and few variable
 * quantifiers in a row (`a*a*a*a*b` is polynomial in the input: seconds on 500 characters): at most
 * two unbounded ones (`*`, `+`, `{n,}`, a range wider than 3) and four in all. Character classes are
 * skipped whole. Node has no regex time limit, so the shape is checked rather than the time.
 */
export function patternRefusal(pattern: string): string | null {
  try {
    new RegExp(pattern, "u");
  } catch {
    return "forms.errors.pattern";
  }
  if (/\\[1-9]|\\k<|\(\?<?[=!]/.test(pattern)) return "forms.errors.patternUnsafe";
  const stack: { start: number; quantified: boolean; alternation: boolean }[] = [];
  let variable = 0;
  let unbounded = 0;
  // The quantifier at i (after an atom), if any: its length, and whether it is variable / unbounded.
  const quantifierAt = (i: number): { length: number; variable: boolean; unbounded: boolean } | null => {
    const c = pattern[i];
    let length = 0;
    let isVariable = true;
    let isUnbounded = false;
    if (c === "*" || c === "+") [length, isUnbounded] = [1, true];
    else if (c === "?") length = 1;
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) return null;
      length = m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      isVariable = max !== min;
      isUnbounded = max - min > 3;
    } else return null;
    if (pattern[i + length] === "?") length++; // lazy
    return { length, variable: isVariable, unbounded: isUnbounded };
  };
  const count = (q: { variable: boolean; unbounded: boolean }) => {
    if (q.variable) variable++;
    if (q.unbounded) unbounded++;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    let atomEnd = i;
    if (c === "\\") atomEnd = i + 1;
    else if (c === "[") {
      let j = i + 1;
      if (pattern[j] === "^") j++;
      if (pattern[j] === "]") j++;
      for (; j < pattern.length && pattern[j] !== "]"; j++) if (pattern[j] === "\\") j++;
      atomEnd = j;
    } else if (c === "(") {
      stack.push({ start: i, quantified: false, alternation: false });
      if (pattern[i + 1] === "?") i += pattern[i + 2] === "<" ? pattern.indexOf(">", i) - i : 2;
      continue;
    } else if (c === "|") {
      if (stack.length) stack[stack.length - 1].alternation = true;
      continue;
    } else if (c === ")") {
      const group = stack.pop();
      const q = quantifierAt(i + 1);
      if (q && group && (group.quantified || group.alternation)) return "forms.errors.patternUnsafe";
      if (q) {
        count(q);
        if (stack.length) stack[stack.length - 1].quantified = true;
        i += q.length;
      } else if ((group?.quantified || group?.alternation) && stack.length) stack[stack.length - 1].quantified = true;
      continue;
    }
    const q = quantifierAt(atomEnd + 1);
    if (q) {
      count(q);
      if (stack.length) stack[stack.length - 1].quantified = true;
      atomEnd += q.length;
    }
    i = atomEnd;
  }
  return variable > 4 || unbounded > 2 ? "forms.errors.patternUnsafe" : null;
}

export const fieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { error: "forms.errors.key" }),
    type: z.enum(FIELD_TYPES),
    label: localized(120),
    required: z.boolean(),
    pattern: text(200).optional(),
    minLength: z.number().int().min(0).max(500).optional(),
    maxLength: z.number().int().min(1).max(500).optional(),
    options: z
      .array(z.object({ value: z.string().regex(/^[a-z0-9_-]{1,40}$/, { error: "forms.errors.key" }), label: localized(120) }))
      .max(30)
      .optional(),
  })
  .superRefine((f, ctx) => {
    if (!someText(f.label)) ctx.addIssue({ code: "custom", path: ["label"], message: "forms.errors.label" });
    if (f.pattern) {
      const problem = patternRefusal(f.pattern);
      if (problem) ctx.addIssue({ code: "custom", path: ["pattern"], message: problem });
    }
    if (f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength)
      ctx.addIssue({ code: "custom", path: ["maxLength"], message: "forms.errors.lengths" });
    if (f.type === "choice" && !f.options?.length) ctx.addIssue({ code: "custom", path: ["options"], message: "forms.errors.options" });
  });
export type FormField = z.infer<typeof fieldSchema>;

export const consentSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, { error: "forms.errors.key" }),
    text: localized(2000, true),
    /** Advanced by the service whenever either text changes (lib/forms/service): never set by the editor. */
    version: z.number().int().min(1).default(1),
    required: z.boolean(),
    /** Ticking it gives marketing consent (SMS news) as the push-events issue records it. */
    marketing: z.boolean(),
  })
  .superRefine((c, ctx) => {
    if (!someText(c.text)) ctx.addIssue({ code: "custom", path: ["text"], message: "forms.errors.consentText" });
  });
export type ConsentBox = z.infer<typeof consentSchema>;

export const referralSchema = z.object({
  inviterBonus: z.number().int().min(0).max(1_000_000),
  friendBonus: z.number().int().min(0).max(1_000_000),
  /** When the rewards are paid: the friend's card reached a wallet, or was first used at a till. */
  on: z.enum(["installed", "used"]),
});

export const formDefinitionSchema = z
  .object({
    title: localized(120),
    benefits: localized(2000, true),
    fields: z.array(fieldSchema).max(30),
    consents: z.array(consentSchema).max(10),
    referral: referralSchema.nullable().default(null),
  })
  .superRefine((d, ctx) => {
    const keys = new Set<string>();
    d.fields.forEach((f, i) => {
      if (keys.has(f.key) || f.key === "phone") ctx.addIssue({ code: "custom", path: ["fields", i, "key"], message: "forms.errors.duplicateKey" });
      keys.add(f.key);
    });
    const consentKeys = new Set<string>();
    d.consents.forEach((c, i) => {
      if (consentKeys.has(c.key)) ctx.addIssue({ code: "custom", path: ["consents", i, "key"], message: "forms.errors.duplicateKey" });
      consentKeys.add(c.key);
    });
    for (const type of ["name", "email", "birthday", "gender"] as const)
      if (d.fields.filter((f) => f.type === type).length > 1) ctx.addIssue({ code: "custom", path: ["fields"], message: "forms.errors.oneOfEach" });
  });
export type FormDefinition = z.infer<typeof formDefinitionSchema>;

export const emptyDefinition = (): FormDefinition => ({
  title: { en: "", ru: "" },
  benefits: { en: "", ru: "" },
  fields: [{ key: "name", type: "name", label: { en: "Your name", ru: "Ваше имя" }, required: true }],
  consents: [],
  referral: null,
});

/**
 * Consent versions after an edit: a box whose text changed gets the next version, so the text each
 * customer agreed to stays nameable; an unchanged box keeps its version, a new box starts at 1.
 */
export function versionConsents(before: ConsentBox[], after: ConsentBox[]): ConsentBox[] {
  const old = new Map(before.map((c) => [c.key, c]));
  return after.map((c) => {
    const was = old.get(c.key);
    if (!was) return { ...c, version: 1 };
    const same = was.text.en === c.text.en && was.text.ru === c.text.ru;
    return { ...c, version: same ? was.version : was.version + 1 };
  });
}

export type Answer = string | number | boolean | null;
export type Answers = Record<string, Answer>;
export type AnswerErrors = Record<string, string>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a submitted form against its definition: each field as its type says, required ones present,
 * text within its length and pattern; required consent boxes ticked. Returns the answers (by key) and
 * the consent keys ticked, or the errors by field (`f_<key>` / `c_<key>`, the inputs' names).
 */
export function readAnswers(
  definition: FormDefinition,
  raw: Record<string, unknown>,
): { ok: true; answers: Answers; consents: string[] } | { ok: false; errors: AnswerErrors } {
  const errors: AnswerErrors = {};
  const answers: Answers = {};
  for (const f of definition.fields) {
    const name = `f_${f.key}`;
    const given = raw[name];
    if (f.type === "checkbox") {
      const on = given === "on" || given === "true" || given === true;
      if (f.required && !on) errors[name] = "validation.required";
      answers[f.key] = on;
      continue;
    }
    const value = typeof given === "string" ? given.trim() : "";
    if (!value) {
      if (f.required) errors[name] = "validation.required";
      answers[f.key] = null;
      continue;
    }
    if (hasControlChars(value)) {
      errors[name] = "validation.controlChars";
      continue;
    }
    const max = f.type === "text" || f.type === "name" ? (f.maxLength ?? 200) : 200;
    if (value.length > max) {
      errors[name] = "validation.tooLong";
      continue;
    }
    switch (f.type) {
      case "text":
      case "name":
        if (f.minLength !== undefined && value.length < f.minLength) errors[name] = "forms.errors.tooShort";
        // A pattern saved before the shape check knew it could stall is not run at all.
        else if (f.pattern && (patternRefusal(f.pattern) || !new RegExp(`^(?:${f.pattern})$`, "u").test(value))) errors[name] = "forms.errors.noMatch";
        else answers[f.key] = value;
        break;
      case "email":
        if (!EMAIL.test(value) || value.length > 254) errors[name] = "validation.email";
        else answers[f.key] = value.toLowerCase();
        break;
      case "number": {
        const n = Number(value.replace(",", "."));
        if (!Number.isFinite(n)) errors[name] = "forms.errors.number";
        else answers[f.key] = n;
        break;
      }
      case "date":
      case "birthday": {
        const ok = DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
        const future = ok && f.type === "birthday" && value > new Date().toISOString().slice(0, 10);
        if (!ok || future || value < "1900-01-01") errors[name] = "forms.errors.date";
        else answers[f.key] = value;
        break;
      }
      case "gender":
        if (!(GENDERS as readonly string[]).includes(value)) errors[name] = "forms.errors.choice";
        else answers[f.key] = value;
        break;
      case "choice":
        if (!f.options?.some((o) => o.value === value)) errors[name] = "forms.errors.choice";
        else answers[f.key] = value;
        break;
    }
  }
  const consents: string[] = [];
  for (const c of definition.consents) {
    const name = `c_${c.key}`;
    const on = raw[name] === "on" || raw[name] === "true";
    if (c.required && !on) errors[name] = "forms.errors.consentRequired";
    if (on) consents.push(c.key);
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers, consents };
}

/** The holder's own fields among the answers (the customer record keeps these). */
export function holderOf(definition: FormDefinition, answers: Answers): { name?: string; email?: string; birthday?: string } {
  const of = (type: FieldType) => {
    const f = definition.fields.find((x) => x.type === type);
    const v = f ? answers[f.key] : null;
    return typeof v === "string" && v ? v : undefined;
  };
  return { name: of("name"), email: of("email"), birthday: of("birthday") };
}
