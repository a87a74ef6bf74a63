import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadMessages } from "@/i18n/messages";
import { EVENT_NAMES } from "@/lib/card-events/names";

function keys(value: unknown, prefix = ""): string[] {
  if (!value || typeof value !== "object") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("translations", () => {
  it("English and Russian have the same keys, and no area file redefines another's namespace", async () => {
    const [en, ru] = await Promise.all([loadMessages("en"), loadMessages("ru")]);
    const enKeys = keys(en).sort();
    const ruKeys = keys(ru).sort();
    expect(enKeys.filter((k) => !ruKeys.includes(k))).toEqual([]);
    expect(ruKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    for (const locale of ["en", "ru"] as const) {
      // Every area file in messages/<locale>/, so a new one is checked without being listed here.
      const files = readdirSync(new URL(`../../messages/${locale}/`, import.meta.url)).filter((f) => f.endsWith(".json"));
      const parts = await Promise.all([import(`../../messages/${locale}.json`), ...files.map((f) => import(`../../messages/${locale}/${f}`))]);
      const namespaces = parts.flatMap((p) => Object.keys(p.default as object));
      expect(namespaces.length).toBe(new Set(namespaces).size);
    }
  });

  it("names every event a card's history can show, in both languages", async () => {
    for (const locale of ["en", "ru"] as const) {
      const types = ((await loadMessages(locale)).cards as { history: { types: Record<string, Record<string, string>> } }).history.types;
      expect(EVENT_NAMES.filter((name) => typeof types[name.split(".")[0]]?.[name.split(".")[1]] !== "string")).toEqual([]);
    }
  });

  it("has no key with a dot in it (next-intl reads a dot as nesting and refuses such keys)", async () => {
    const dotted = (value: unknown, path = ""): string[] =>
      value && typeof value === "object"
        ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [...(k.includes(".") ? [`${path}${k}`] : []), ...dotted(v, `${path}${k}/`)])
        : [];
    for (const locale of ["en", "ru"] as const) expect(dotted(await loadMessages(locale))).toEqual([]);
  });
});

describe("English copy", () => {
  const values = (value: unknown, prefix = ""): [string, string][] =>
    value && typeof value === "object"
      ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => values(v, prefix ? `${prefix}.${k}` : k))
      : [[prefix, String(value)]];

  it("uses English quotes, never Russian «»", async () => {
    const en = await loadMessages("en");
    expect(values(en).filter(([, text]) => /[«»]/.test(text))).toEqual([]);
  });

  it("names the card the same way in every activity line, and counts one card as one", async () => {
    const en = await loadMessages("en");
    const card = (en.activity as { actions: { card: Record<string, string> } }).actions.card;
    const single = Object.entries(card).filter(([k]) => !["import", "sendMany"].includes(k));
    expect(single.filter(([, text]) => !text.endsWith("the card"))).toEqual([]);
    const { createTranslator } = await import("next-intl");
    type Translate = (key: string, values: Record<string, number>) => string;
    const t = createTranslator({ locale: "en", messages: en }) as unknown as Translate;
    expect(t("cards.send.bulk.allMatching", { count: 1 })).toBe("The one matching card");
    expect(t("cards.send.bulk.allMatching", { count: 3 })).toBe("All 3 matching cards");
    const ru = createTranslator({ locale: "ru", messages: await loadMessages("ru") }) as unknown as Translate;
    expect(ru("cards.send.bulk.allMatching", { count: 1 })).toBe("Единственная подходящая карта");
  });
});
