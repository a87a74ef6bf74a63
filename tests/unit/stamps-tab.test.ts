/* eslint-disable react/no-children-prop -- the intl provider's props type requires children among its props */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import { describe, expect, it } from "vitest";
import { StampsProgramSection } from "@/components/templates/editor-stamps";
import { loadMessages } from "@/i18n/messages";
import { stampProgramOf, type StampsSettings, templateDefinitionSchema, defaultDefinition } from "@/lib/templates/definition";
import { maxStampsRedeemable, stampsEarned, stampsOf } from "@/lib/ledger/stamps";

async function render(locale: "en" | "ru", stamps: StampsSettings | undefined, serverErrors: Record<string, string> = {}) {
  const messages = await loadMessages(locale);
  const section = createElement(StampsProgramSection, { value: stamps, onChange: () => {}, errorAt: (path: string) => serverErrors[path], currency: "RUB" });
  return renderToStaticMarkup(createElement(NextIntlClientProvider, { locale, messages, timeZone: "UTC", children: section }));
}
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("the Loyalty tab of a stamp template", () => {
  it("shows the goal and what earns a stamp, with a sentence that says what they mean, in both languages", async () => {
    const en = text(await render("en", { goal: 6 }));
    expect(en).toContain("Stamps to the reward");
    expect(en).toContain("Every visit adds a stamp; after 6 stamps the customer gets a reward and the row starts again.");
    const ru = text(await render("ru", { goal: 8, per: "purchase", minAmount: 50_000 }));
    expect(ru).toContain("За покупку от суммы");
    expect(ru).toMatch(/Покупка от 500,00\s₽ добавляет штамп; после 8 штампов/);
  });

  it.each([
    ["en", "Between 1 and 20 stamps.", "Enter the smallest purchase that earns a stamp: more than zero."],
    ["ru", "От 1 до 20 штампов.", "Укажите наименьшую покупку, за которую ставится штамп: больше нуля."],
  ] as const)("explains a wrong goal and a missing amount next to their fields, in %s", async (locale, goal, amount) => {
    const html = text(await render(locale, { goal: 21, per: "purchase", minAmount: 0 }));
    expect(html).toContain(goal);
    expect(html).toContain(amount);
  });
});

describe("the stamp programme's rules", () => {
  it("reads designs without the new parts as a stamp per visit, and refuses a purchase rule without an amount", () => {
    const d = defaultDefinition("stamp", "M");
    expect(stampProgramOf("stamp", d)).toEqual({ goal: 10, per: "visit", minAmount: 0 });
    expect(stampProgramOf("loyalty", d)).toBeNull();
    const refused = templateDefinitionSchema.safeParse({ ...d, stamps: { goal: 5, per: "purchase" } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["stamps.minAmount", "templates.errors.stampsMinAmount"]]);
    // The default stamp design shows the row (source `stamps`) and the rewards ready.
    expect(d.fields.primary[0].source).toBe("stamps");
    expect(d.fields.auxiliary.map((f) => f.source)).toEqual(["rewards"]);
  });

  it("counts the row and the rewards, and what earns a stamp", () => {
    expect(stampsOf({ goal: 10 }, 0)).toEqual({ collected: 0, goal: 10, rewards: 0 });
    expect(stampsOf({ goal: 10 }, 10)).toEqual({ collected: 0, goal: 10, rewards: 1 });
    expect(stampsOf({ goal: 10 }, 23)).toEqual({ collected: 3, goal: 10, rewards: 2 });
    expect(maxStampsRedeemable({ goal: 10 }, 23)).toBe(20);
    expect(stampsEarned({ goal: 5, per: "visit", minAmount: 0 }, 1)).toBe(1);
    expect(stampsEarned({ goal: 5, per: "purchase", minAmount: 1000 }, 999)).toBe(0);
    expect(stampsEarned({ goal: 5, per: "purchase", minAmount: 1000 }, 1000)).toBe(1);
  });
});
