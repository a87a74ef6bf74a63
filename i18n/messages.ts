import type { Locale } from "./config";

/**
 * A locale's strings: the shared file plus one file per larger area (messages/<locale>/<area>.json),
 * each owning its own top-level namespaces. Listed explicitly so the bundler includes every file.
 */
export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const parts = await Promise.all([
    import(`../messages/${locale}.json`),
    import(`../messages/${locale}/cards.json`),
    import(`../messages/${locale}/api.json`),
    import(`../messages/${locale}/customers.json`),
    import(`../messages/${locale}/messaging.json`),
    import(`../messages/${locale}/error-page.json`),
    import(`../messages/${locale}/points.json`),
    import(`../messages/${locale}/webhooks.json`),
    import(`../messages/${locale}/reports.json`),
    import(`../messages/${locale}/gift-certificates.json`),
    import(`../messages/${locale}/till.json`),
    import(`../messages/${locale}/push-events.json`),
    import(`../messages/${locale}/forms.json`),
  ]);
  return Object.assign({}, ...parts.map((p) => p.default as Record<string, unknown>));
}
