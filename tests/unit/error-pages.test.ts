/* eslint-disable react/no-children-prop -- the intl provider's props type requires children among its props */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import { describe, expect, it } from "vitest";
import { ErrorScreen } from "@/components/errors/error-screen";
import GlobalError from "@/app/global-error";
import { loadMessages } from "@/i18n/messages";

const failure = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1 (secret detail)"), { digest: "4711" });

describe("error pages", () => {
  it.each([
    ["en", "Something went wrong", "Try again"],
    ["ru", "Что-то пошло не так", "Попробовать ещё раз"],
  ] as const)("speak the visitor's language (%s), offer a retry and a way home, and never show the error's own text", async (locale, title, retry) => {
    const messages = await loadMessages(locale);
    const html = renderToStaticMarkup(
      createElement(NextIntlClientProvider, { locale, messages, timeZone: "UTC", children: createElement(ErrorScreen, { error: failure, reset: () => {} }) }),
    );
    expect(html).toContain(title);
    expect(html).toContain(retry);
    expect(html).toContain('href="/dashboard"');
    expect(html).toContain("4711");
    expect(html).toContain("CardDesk");
    expect(html).not.toContain("ECONNREFUSED");
  });

  it("sends a customer to their cards, not to the staff dashboard", async () => {
    const messages = await loadMessages("en");
    const html = renderToStaticMarkup(
      createElement(NextIntlClientProvider, {
        locale: "en",
        messages,
        timeZone: "UTC",
        children: createElement(ErrorScreen, { error: failure, reset: () => {}, customer: true }),
      }),
    );
    expect(html).toContain('href="/my"');
    expect(html).toContain("My cards");
    expect(html).not.toContain("dashboard");
  });

  it("has a page of its own when the root layout fails, with its own strings", () => {
    const html = renderToStaticMarkup(createElement(GlobalError, { error: failure, reset: () => {} }));
    expect(html).toMatch(/^<html lang="en">/);
    expect(html).toContain("Something went wrong");
    expect(html).not.toContain("ECONNREFUSED");
  });
});
