"use client";

import { NextIntlClientProvider } from "next-intl";
import { useSyncExternalStore } from "react";
import { ErrorScreen } from "@/components/errors/error-screen";
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, localeFromAcceptLanguage, type Locale } from "@/i18n/config";
import en from "@/messages/en/error-page.json";
import ru from "@/messages/ru/error-page.json";
import "./globals.css";

const MESSAGES = { en, ru } as const;
const noSubscription = () => () => {};

/** The language the visitor chose (the cookie the switcher sets), else the browser's. */
function visitorLocale(): Locale {
  const chosen = document.cookie
    .split("; ")
    .find((c) => c.startsWith(`${LOCALE_COOKIE}=`))
    ?.split("=")[1];
  return isLocale(chosen) ? chosen : localeFromAcceptLanguage(navigator.languages.join(","));
}

/**
 * When the root layout itself fails there is no layout, no request config and no messages from the
 * server: this page brings its own <html>, its own few strings, and picks the language in the browser.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  // The server has no cookie to read here; the browser's answer replaces its default on hydration.
  const locale = useSyncExternalStore(noSubscription, visitorLocale, () => DEFAULT_LOCALE);
  return (
    <html lang={locale}>
      <body className="min-h-dvh font-sans">
        <NextIntlClientProvider locale={locale} messages={MESSAGES[locale]} timeZone="UTC">
          <ErrorScreen error={error} reset={reset} fullPage />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
