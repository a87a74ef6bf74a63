import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { templateDefinitionSchema } from "@/lib/templates/definition";
import { createTestCard, createTestMerchant, createTestTemplate } from "../factories";
import { builtPass } from "../support/push";

async function newsField(merchantId: string, cardId: string) {
  const { passJson, strings } = await builtPass(merchantId, cardId);
  const back = passJson.storeCard.backFields;
  const field = back.find((f) => f.key === "cd_news")!;
  return { field, en: strings.en[field.label], ru: strings.ru[field.label] };
}

describe("the news field's label per template", () => {
  it("is “News” / “Новости” by default, and the template's own label in each language it gives", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { card } = await createTestCard(m, { template });
    expect(await newsField(m.merchant.id, card.id)).toMatchObject({ field: { changeMessage: "%@" }, en: "News", ru: "Новости" });

    const current = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    await saveTemplateVersion(getDb(), { merchantId: m.merchant.id, userId: m.owner.id }, template.id, {
      name: current.template.name,
      definition: { ...current.version.definition, back: { ...current.version.definition.back, newsLabel: { en: "Offers", ru: "" } } },
    });
    expect(await newsField(m.merchant.id, card.id)).toMatchObject({ field: { changeMessage: "%@" }, en: "Offers", ru: "Новости" });

    await saveTemplateVersion(getDb(), { merchantId: m.merchant.id, userId: m.owner.id }, template.id, {
      name: current.template.name,
      definition: { ...current.version.definition, back: { ...current.version.definition.back, newsLabel: { en: "Offers", ru: "Акции" } } },
    });
    expect(await newsField(m.merchant.id, card.id)).toMatchObject({ en: "Offers", ru: "Акции" });
  });

  it("is refused over 40 characters or with a line break", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    const withLabel = (en: string) =>
      templateDefinitionSchema.safeParse({ ...version.definition, back: { ...version.definition.back, newsLabel: { en, ru: "" } } });
    expect(withLabel("x".repeat(40)).success).toBe(true);
    expect(withLabel("x".repeat(41)).error?.issues[0].path).toEqual(["back", "newsLabel", "en"]);
    expect(withLabel("two\nlines").success).toBe(false);
  });
});
