import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defaultDefinition, newField, templateDefinitionSchema } from "@/lib/templates/definition";
import { createApiKeySchema } from "@/lib/validations/api-keys";
import { addStaffSchema } from "@/lib/validations/staff";
import { signUpSchema } from "@/lib/validations/auth";
import { issueCardSchema, listCardsQuerySchema, patchCardSchema } from "@/lib/validations/cards";
import { hasControlChars, isCleanParam, multilineText, password, requiredText, searchText, stripControlChars, text } from "@/lib/validations/common";
import { listLocationsQuerySchema, locationSchema } from "@/lib/validations/locations";
import { organisationSchema } from "@/lib/validations/merchants";
import { emailSettingsSchema, listMessagesQuerySchema, smsSettingsSchema } from "@/lib/validations/messaging";
import { createTemplateSchema, saveTemplateSchema } from "@/lib/validations/templates";

/** Every C0 control character and DEL: the whole class, not a sample of it. */
const CONTROLS = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), "\u007f"];
const LINE_CONTROLS = ["\t", "\n", "\r"];
const OTHER_CONTROLS = CONTROLS.filter((c) => !LINE_CONTROLS.includes(c));
const name = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
const ERROR = "validation.controlChars";

const messageAt = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, path: string) =>
  r.error?.issues.find((i) => i.path.join(".") === path)?.message;

describe("text(): single-line", () => {
  it.each(CONTROLS.map((c) => [name(c), c]))("refuses %s inside a text with a field error", (_n, c) => {
    expect(messageAt(text(50).safeParse(`nul${c}byte`), "")).toBe(ERROR);
    expect(messageAt(requiredText(50).safeParse(`${c}x${c}`), "")).toBe(c.trim() === "" ? undefined : ERROR);
  });

  it("trims surrounding whitespace, line breaks included, before looking", () => {
    expect(text(50).parse("  Shop\r\n")).toBe("Shop");
    expect(text(50).parse("Кофейня «Зёрна» — №1 ☕")).toBe("Кофейня «Зёрна» — №1 ☕");
  });
});

describe("multilineText(): terms, back-side text, message templates", () => {
  it.each(LINE_CONTROLS.map((c) => [name(c), c]))("keeps %s", (_n, c) => {
    expect(multilineText(50).parse(`one${c}two`)).toBe(`one${c}two`);
  });
  it.each(OTHER_CONTROLS.map((c) => [name(c), c]))("refuses %s", (_n, c) => {
    expect(messageAt(multilineText(50).safeParse(`one${c}two`), "")).toBe(ERROR);
  });
});

describe("searchText(): never refused, never holds a control character", () => {
  it.each(CONTROLS.map((c) => [name(c), c]))("drops %s (line breaks and tabs become spaces)", (_n, c) => {
    const out = searchText(100).parse(`sh${c}op`);
    expect(out).toBe(LINE_CONTROLS.includes(c) || c === "\v" || c === "\f" ? "sh op" : "shop");
    expect(searchText(100).parse(c)).toBeUndefined();
  });

  it("cuts at the limit and treats repeated or missing parameters as no search", () => {
    expect(searchText(5).parse(" abcdefgh ")).toBe("abcde");
    expect(searchText(100).parse(["a", "b"])).toBeUndefined();
    expect(searchText(100).parse(undefined)).toBeUndefined();
    expect(stripControlChars("\u0000a\u0001\u007fb\r\n")).toBe("ab");
  });

  it.each([
    ["cards", listCardsQuerySchema],
    ["messages", listMessagesQuerySchema],
    ["locations", listLocationsQuerySchema],
  ] as const)("the %s list's q drops them", (_n, schema) => {
    expect(schema.parse({ q: "%\u0000_" }).q).toBe("%_");
    expect(schema.parse({ q: "\u0000" }).q).toBeUndefined();
  });
});

describe("isCleanParam(): values from a URL path", () => {
  it.each(CONTROLS.map((c) => [name(c), c]))("refuses %s", (_n, c) => {
    expect(isCleanParam(`serial${c}`)).toBe(false);
  });
  it("accepts ordinary path values and refuses non-strings and very long ones", () => {
    expect(isCleanParam("pass.com.example.card")).toBe(true);
    expect(isCleanParam("a".repeat(501))).toBe(false);
    expect(isCleanParam(undefined)).toBe(false);
    expect(hasControlChars("a\nb", { multiline: true })).toBe(false);
  });
});

/** Every string leaf of a value with its dotted path. */
function stringPaths(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => stringPaths(v, prefix ? `${prefix}.${k}` : k));
}
/** Every string in a value (JSON.stringify would hide control characters behind escapes). */
const stringsOf = (value: unknown): string[] =>
  typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(stringsOf) : [];

/** The value with the text at `path`; a function of the text already there makes the new one from it. */
function withValueAt<T>(value: T, path: string, text: string | ((old: string) => string)): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split(".");
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = typeof text === "function" ? text(at[keys.at(-1)!] as string) : text;
  return copy as T;
}

describe("every text field of the cabinet's and the API's schemas", () => {
  const schemas: {
    name: string;
    schema: { safeParse: (v: unknown) => never };
    valid: Record<string, unknown>;
    multiline?: string[];
    choices?: string[];
    separators?: string[];
  }[] = [
    {
      name: "location",
      schema: locationSchema as never,
      valid: { name: "Shop", address: "Main st 1", latitude: "55.75", longitude: "37.61", nearbyText: "Come in" },
    },
    {
      name: "organisation",
      schema: organisationSchema as never,
      valid: {
        name: "Org",
        legalName: "Org LLC",
        taxId: "7707083893",
        legalAddress: "Moscow",
        contactEmail: "a@b.ru",
        contactPhone: "+7 495 123-45-67",
        timeZone: "Europe/Moscow",
        currency: "RUB",
      },
    },
    {
      name: "SMS settings",
      schema: smsSettingsSchema as never,
      valid: {
        provider: "smsc",
        sender: "Shop",
        codeTemplate: "Code: {code}",
        linkTemplate: "Card: {link}",
        smsruSecretApiId: "id",
        smscLogin: "login",
        smscAuth: "password",
        smscSecretPassword: "pw",
        smscSecretApiKey: "key",
      },
      multiline: ["codeTemplate", "linkTemplate"],
      choices: ["provider", "smscAuth"],
    },
    {
      name: "e-mail settings",
      schema: emailSettingsSchema as never,
      valid: { provider: "resend", from: "Shop <shop@example.com>", resendSecretApiKey: "re_abc" },
    },
    { name: "sign-up", schema: signUpSchema as never, valid: { organisation: "Org", name: "Me", email: "me@example.com", password: "Password-12345" } },
    { name: "staff", schema: addStaffSchema as never, valid: { name: "Cashier", email: "c@example.com", role: "cashier", password: "Password-12345" } },
    { name: "API key", schema: createApiKeySchema as never, valid: { name: "Till 1", "scope.cards:read": "on" }, choices: ["scope.cards:read"] },
    { name: "new template", schema: createTemplateSchema as never, valid: { name: "Loyalty", kind: "loyalty" } },
    {
      name: "card issue (form and API)",
      schema: issueCardSchema("RU") as never,
      valid: {
        templateId: randomUUID(),
        customer: { phone: "+79161234567", email: "a@b.ru", name: "Holder", birthday: "1990-01-01" },
        balance: "10",
        discount: "5",
        custom: { tier: "gold" },
        expiresAt: "2099-01-01",
        number: "AB-1234",
      },
      separators: ["customer.phone", "balance", "discount"],
    },
    {
      name: "card patch (API)",
      schema: patchCardSchema as never,
      valid: { values: { balance: 1, discount: 2, custom: { tier: "gold" } }, expiresAt: "2099-01-01", status: "active" },
    },
  ];

  // Control characters go inside the valid value, so nothing but them can be what is refused.
  const inside = (c: string) => (old: string) => old.slice(0, 1) + c + old.slice(1);
  for (const { name: schemaName, schema, valid, multiline = [], choices = [], separators = [] } of schemas) {
    it(`${schemaName}: the valid input passes`, () => {
      expect((schema.safeParse(valid) as { success: boolean }).success).toBe(true);
    });
    // Choices from a list (an enum, a checkbox) are never stored as typed: any other value is refused or ignored.
    for (const path of stringPaths(valid).filter((p) => !choices.includes(p))) {
      // Phones and numbers read blanks, a tab among them, as separators ("1 250"); what comes out is a number or E.164.
      const allowed = multiline.includes(path) ? OTHER_CONTROLS : separators.includes(path) ? CONTROLS.filter((c) => !/\s/.test(c)) : CONTROLS;
      it(`${schemaName}: ${path} refuses every control character${multiline.includes(path) ? " but tab, CR and LF" : ""} with a field error`, () => {
        for (const c of allowed) {
          const r = schema.safeParse(withValueAt(valid, path, inside(c))) as {
            success: boolean;
            error?: { issues: { path: PropertyKey[]; message: string }[] };
          };
          expect(r.success, `${name(c)} in ${path}`).toBe(false);
          expect(
            r.error?.issues.some((i) => i.path.join(".") === path),
            `${name(c)} in ${path}: ${JSON.stringify(r.error?.issues)}`,
          ).toBe(true);
        }
        for (const c of LINE_CONTROLS.filter(() => multiline.includes(path))) {
          expect((schema.safeParse(withValueAt(valid, path, inside(c))) as { success: boolean }).success).toBe(true);
        }
        // Whatever is let through comes out without a control character a single line may not hold.
        for (const c of CONTROLS) {
          const r = schema.safeParse(withValueAt(valid, path, inside(c))) as { success: boolean; data?: unknown };
          if (r.success && !multiline.includes(path))
            expect(
              stringsOf(r.data).filter((v) => hasControlChars(v)),
              `${name(c)} in ${path} came out`,
            ).toEqual([]);
        }
      });
    }
  }

  it("a password may not hold one either", () => {
    expect(messageAt(password().safeParse("Password\u0000-12345"), "")).toBe(ERROR);
  });
});

describe("template definition: every text of a design", () => {
  const full = () => {
    const d = defaultDefinition("loyalty", "Shop");
    d.fields.back.push({
      ...newField("about", "static", { en: "About", ru: "О нас" }, { en: "Open daily", ru: "Каждый день" }),
      changeMessage: { en: "Now %@", ru: "Теперь %@" },
    });
    d.fields.auxiliary.push({ ...newField("tier", "custom", { en: "Tier", ru: "Уровень" }), customKey: "tier" });
    d.back.terms = { en: "Terms", ru: "Условия" };
    d.back.contacts = { en: "Call us", ru: "Звоните" };
    d.back.links.push({ label: { en: "Site", ru: "Сайт" }, url: "https://example.com/" });
    d.locations.push({ locationId: randomUUID(), relevantText: { en: "Near", ru: "Рядом" } });
    return d;
  };
  // Back-side texts and a field's own value may run over several lines; everything else is one line.
  const MULTILINE = /^(back\.(terms|contacts)\.|fields\.\w+\.\d+\.value\.)/;

  it("the full design is valid", () => {
    expect(templateDefinitionSchema.safeParse(full()).error?.issues ?? []).toEqual([]);
  });

  it.each(stringPaths(full()).filter((p) => !/Color$|^(barcode|expiry)\.|\.source$|locationId$|FileId$/.test(p)))(
    "%s refuses NUL, and line breaks unless it is back-side text",
    (path) => {
      const issuesAt = (text: string) =>
        templateDefinitionSchema.safeParse(withValueAt(full(), path, text)).error?.issues.filter((i) => i.path.join(".") === path) ?? [];
      expect(issuesAt("ab\u0000cd").length, "NUL").toBeGreaterThan(0);
      expect(issuesAt("ab\u001bcd").length, "ESC").toBeGreaterThan(0);
      if (MULTILINE.test(path)) expect(issuesAt("ab\r\ncd\t%@")).toEqual([]);
      else expect(issuesAt("ab\ncd").length, "LF").toBeGreaterThan(0);
    },
  );

  it("a saved template's JSON with an escaped NUL is a field error, not a database error", () => {
    const d = full();
    const raw = JSON.stringify(d).replace('"Terms"', '"Te\\u0000rms"');
    const r = saveTemplateSchema.safeParse({ id: randomUUID(), baseVersion: "1", name: "Loyalty", definition: raw });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["definition.back.terms.en", ERROR]]);
  });
});

describe("lone UTF-16 surrogates", () => {
  it("are refused like control characters (jsonb cannot hold one), while real pairs such as an emoji pass", () => {
    for (const lone of ["\ud800", "\udfff", "a\udc00b"]) {
      expect(hasControlChars(lone)).toBe(true);
      expect(hasControlChars(lone, { multiline: true })).toBe(true);
      expect(messageAt(text(50).safeParse(`hi ${lone}`), "")).toBe(ERROR);
    }
    expect(hasControlChars("coffee ☕ and 😀")).toBe(false);
    expect(text(50).safeParse("coffee 😀").success).toBe(true);
  });
});
