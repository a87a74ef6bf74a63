import { createFormatter } from "next-intl";
import { describe, expect, it } from "vitest";
import { cardPreviewValues } from "@/components/cards/card-values";
import { sampleValue } from "@/components/templates/sample";
import { getDb } from "@/db";
import { postTransaction } from "@/lib/ledger";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_CUMULATIVE_PROGRAM, newField, type TemplateDefinition } from "@/lib/templates/definition";
import { loadCardByLinkToken, toPassCard } from "@/lib/wallet/pass";
import { createTestCard, createTestMerchant, createTestTemplate } from "../factories";

/**
 * The customer's card page draws its values with cardPreviewValues from what loadCardByLinkToken
 * gives it (app/(public)/c/[token]/page.tsx): the level fields must show what the pass shows, not "—".
 */

const format = createFormatter({ locale: "en", timeZone: "UTC" });
const field = (source: "level" | "nextLevelIn" | "stamps" | "rewards") => newField(source, source, { en: source, ru: source });

async function publicValues(token: string) {
  const data = (await loadCardByLinkToken(getDb(), token))!;
  const values = cardPreviewValues(format, {
    card: data.card,
    holderName: data.holderName,
    kind: data.kind,
    currency: data.merchant.currency,
    locale: "en",
    definition: data.definition,
  });
  return { data, values };
}

async function templateWith(kind: "loyalty" | "stamp", change: (d: TemplateDefinition) => TemplateDefinition) {
  const m = await createTestMerchant();
  const template = await createTestTemplate(m, { kind });
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name: template.name, definition: change(version.definition) });
  return { m, template, ctx: { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till" } } };
}

describe("the public card page's values", () => {
  it("shows the card's level and the money to the next one, as the pass does", async () => {
    const { m, template, ctx } = await templateWith("loyalty", (d) => ({ ...d, program: DEFAULT_CUMULATIVE_PROGRAM }));
    const { card } = await createTestCard(m, { template });
    await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 1_200_000 });
    const { data, values } = await publicValues(card.linkToken);
    // 12,000 of purchases: Silver (from 10,000), 38,000 more to Gold (50,000).
    expect(sampleValue(field("level"), "en", values)).toBe("Silver");
    expect(sampleValue(field("nextLevelIn"), "en", values)).toMatch(/38,000\.00/);
    expect(values.discount).toBe("5%");
    const pass = toPassCard(data.card, data.holderName, { kind: data.kind, definition: data.definition });
    expect(pass).toMatchObject({ level: "Silver", nextLevelIn: 3_800_000 });
  });

  it("shows the stamps in the row and the rewards ready on a stamp card", async () => {
    const { m, template } = await templateWith("stamp", (d) => ({ ...d, stamps: { goal: 4 } }));
    const { card } = await createTestCard(m, { template, balance: 9 });
    const { values } = await publicValues(card.linkToken);
    expect(values).toMatchObject({ stamps: 1, rewards: 2 });
    expect(sampleValue(field("stamps"), "en", values)).toBe("1");
    expect(sampleValue(field("rewards"), "en", values)).toBe("2");
  });

  it("a points card without levels shows — for the level fields", async () => {
    const m = await createTestMerchant();
    const { card } = await createTestCard(m);
    const { values } = await publicValues(card.linkToken);
    expect(sampleValue(field("level"), "en", values)).toBe("—");
  });
});
