import "server-only";
// use-intl/core (next-intl's own core, without React): npm start's fast path loads this outside Next.
import { createTranslator } from "use-intl/core";
import { loadMessages } from "@/i18n/messages";

export type Translate = (key: string, params?: Record<string, string | number>) => string;

let english: Promise<Translate> | undefined;

/**
 * API answers are for developers and logs, so they are English whatever the caller's locale:
 * services throw translation keys, this turns them into the English text. Anything that is not a
 * key (zod's own messages, a key nobody translated) is passed on as it is.
 */
export function englishMessages(): Promise<Translate> {
  english ??= loadMessages("en").then((messages) => {
    const t = createTranslator({
      locale: "en",
      messages: messages as Record<string, never>,
      // A message missing an argument falls back to its key instead of logging to the console.
      onError: () => {},
      getMessageFallback: ({ namespace, key }) => (namespace ? `${namespace}.${key}` : key),
    });
    return (key, params) => (t.has(key as never) ? t(key as never, params as never) : key);
  });
  return english;
}
