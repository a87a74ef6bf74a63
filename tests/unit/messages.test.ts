import { describe, expect, it } from "vitest";
import { loadMessages } from "@/i18n/messages";

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
      const parts = await Promise.all([import(`../../messages/${locale}.json`), import(`../../messages/${locale}/cards.json`), import(`../../messages/${locale}/api.json`), import(`../../messages/${locale}/customers.json`), import(`../../messages/${locale}/messaging.json`), import(`../../messages/${locale}/error-page.json`)]);
      const namespaces = parts.flatMap((p) => Object.keys(p.default as object));
      expect(namespaces.length).toBe(new Set(namespaces).size);
    }
  });
});
