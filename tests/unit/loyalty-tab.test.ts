/* eslint-disable react/no-children-prop -- the intl provider's props type requires children among its props */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import { describe, expect, it } from "vitest";
import { LoyaltySection } from "@/components/templates/editor-loyalty";
import { loadMessages } from "@/i18n/messages";
import { DEFAULT_CUMULATIVE_PROGRAM, DEFAULT_POINTS_PROGRAM, type LoyaltyProgram } from "@/lib/templates/definition";

async function render(locale: "en" | "ru", program: LoyaltyProgram | undefined, serverErrors: Record<string, string> = {}) {
  const messages = await loadMessages(locale);
  const section = createElement(LoyaltySection, {
    value: program,
    onChange: () => {},
    errorAt: (path: string) => serverErrors[path],
    currency: "RUB",
  });
  return renderToStaticMarkup(createElement(NextIntlClientProvider, { locale, messages, timeZone: "UTC", children: section }));
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("the template's Loyalty tab", () => {
  it("shows the programme (the default when none is saved), a point's worth in roubles, and an example receipt", async () => {
    const html = text(await render("en", undefined));
    expect(html).toContain("Earn rate");
    const raw = await render("en", undefined);
    expect(raw).toContain('value="5"');
    expect(raw).toContain('value="1.00"');
    // 5 % of 1,000 roubles at one rouble a point: 50 points, which pay 50 roubles.
    expect(html).toContain("a receipt of RUB 1,000.00 paid with money earns 50 points, which later pay RUB 50.00");
    const ru = text(await render("ru", { ...DEFAULT_POINTS_PROGRAM, earnPercent: 10, pointValue: 50 }));
    expect(ru).toContain("Процент начисления");
    expect(ru).toMatch(/начисляется 200 баллов, которыми потом можно оплатить 100,00\s₽/);
  });

  it.each([
    ["en", "A whole percentage from 0 to 100.", "Correct the fields marked in red"],
    ["ru", "Целый процент от 0 до 100.", "Исправьте поля, отмеченные красным"],
  ] as const)("explains a wrong value next to its field as it is typed, in %s", async (locale, percent, noExample) => {
    const html = await render(locale, { ...DEFAULT_POINTS_PROGRAM, earnPercent: 150, maxSharePercent: -1 });
    expect(html.split(percent)).toHaveLength(3);
    expect(html).toContain('aria-invalid="true"');
    expect(text(html)).toContain(noExample);
  });

  it("shows the server's refusal after Save for a field the browser let through", async () => {
    const html = text(await render("en", DEFAULT_POINTS_PROGRAM, { "program.welcomeBonus": "templates.errors.welcomeBonus" }));
    expect(html).toContain("A whole number of points from 0 to 100,000,000.");
  });

  it.each([
    ["en", "Each level needs a larger total of purchases than the one before it.", "A higher level must not give a smaller discount", "From a total of (RUB)"],
    ["ru", "Каждому уровню нужна сумма покупок больше, чем предыдущему.", "Более высокий уровень не может давать меньшую скидку", "От суммы покупок (RUB)"],
  ] as const)("a cumulative discount's levels: shown in the currency, and told when they do not rise (%s)", async (locale, rise, falls, label) => {
    const [base, silver, gold] = DEFAULT_CUMULATIVE_PROGRAM.levels;
    const ok = text(await render(locale, DEFAULT_CUMULATIVE_PROGRAM));
    expect(ok).toContain(label);
    expect(await render(locale, DEFAULT_CUMULATIVE_PROGRAM)).toContain('value="10000.00"');
    const html = text(await render(locale, { ...DEFAULT_CUMULATIVE_PROGRAM, levels: [base, gold, { ...silver, discountPercent: 4 }] }));
    expect(html).toContain(rise);
    if (falls) expect(html).toContain(falls);
  });
});
