import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { staffActor } from "@/lib/card-events/actor";
import { saveFile } from "@/lib/files";
import { createPushEvent } from "@/lib/push-events";
import { applyPromotion } from "@/lib/push-events/overlay";
import { getTemplateOrThrow } from "@/lib/templates";
import { FIELD_POSITIONS } from "@/lib/templates/definition";
import { fieldErrorsOf } from "@/lib/validations/issues";
import { pushEventFormSchema, pushEventInputSchema } from "@/lib/validations/push-events";
import { markSourceKeys } from "@/lib/validations/source-keys";
import { createTestMerchant, createTestTemplate } from "../factories";
import { makePng } from "../fixtures/png";

const UUID = "00000000-0000-4000-8000-000000000001";
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);

describe("the promotion form", () => {
  it("reads any number of field rows (a removed row leaves a gap) and the uploaded strip image's id", () => {
    const parsed = pushEventFormSchema((v) => new Date(`${v}:00Z`)).safeParse({
      type: "promotion",
      [`audience.templateIds.${UUID}`]: "on",
      "design.fields.0.key": "points",
      "design.fields.0.label": "Double points",
      "design.fields.0.value": "",
      "design.fields.2.key": " level ",
      "design.fields.2.value": "Gold for everyone",
      "design.fields.3.key": "",
      "design.fields.3.label": "no key: left out",
      "design.stripFileId": UUID,
      endAt: inAnHour(),
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data!.design).toEqual({
      stripFileId: UUID,
      fields: { points: { label: "Double points" }, level: { value: "Gold for everyone" } },
    });
  });

  it("refuses a field key that is not one and a strip file id that is not an id", () => {
    const parsed = pushEventFormSchema(() => new Date(Date.now() + 3_600_000)).safeParse({
      type: "promotion",
      [`audience.templateIds.${UUID}`]: "on",
      "design.fields.0.key": "no spaces allowed",
      "design.stripFileId": "not-a-file",
      endAt: "x",
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["design.stripFileId", "design.fields.no spaces allowed"]));
  });

  it("refuses a field key given in two rows, on the repeated row's key, instead of merging the rows", () => {
    const parsed = pushEventFormSchema(() => new Date(Date.now() + 3_600_000)).safeParse({
      type: "promotion",
      [`audience.templateIds.${UUID}`]: "on",
      "design.fields.0.key": "points",
      "design.fields.0.label": "Double points",
      "design.fields.1.key": "level",
      "design.fields.3.key": " points ",
      "design.fields.3.value": "Triple",
      endAt: inAnHour(),
    });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsOf(parsed.error!)).toEqual({ "design.fields.3.key": "pushEvents.errors.fieldKeyRepeated" });
    // The API's object form goes through the same rule: a key repeated in its JSON is marked by the reader.
    const fields = { points: {} };
    markSourceKeys(fields, [
      { key: "points", path: ["points"] },
      { key: "points", path: ["points"] },
    ]);
    const api = pushEventInputSchema.safeParse({
      type: "promotion",
      audience: { templateIds: [UUID] },
      design: { fields },
      endAt: new Date(Date.now() + 3_600_000),
    });
    expect(fieldErrorsOf(api.error!)).toEqual({ "design.fields.points": "pushEvents.errors.fieldKeyRepeated" });
  });

  it("lays several field overrides and the strip over the template at once", async () => {
    const m = await createTestMerchant();
    const template = await createTestTemplate(m);
    const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
    const keys = FIELD_POSITIONS.flatMap((p) => version.definition.fields[p].map((f) => f.key)).slice(0, 2);
    expect(keys).toHaveLength(2);
    const shown = applyPromotion(version.definition, {
      stripFileId: UUID,
      fields: { [keys[0]]: { label: "First" }, [keys[1]]: { label: "Second", value: "Free coffee" } },
    });
    const all = FIELD_POSITIONS.flatMap((p) => shown.fields[p]);
    expect(all.find((f) => f.key === keys[0])?.label).toEqual({ en: "First", ru: "First" });
    expect(all.find((f) => f.key === keys[1])).toMatchObject({
      label: { en: "Second", ru: "Second" },
      source: "static",
      value: { en: "Free coffee", ru: "Free coffee" },
    });
    expect(shown.design.stripFileId).toBe(UUID);
  });

  it("takes only the merchant's own upload as the strip (tenancy)", async () => {
    const [a, b] = [await createTestMerchant(), await createTestMerchant()];
    const template = await createTestTemplate(a);
    const theirs = await saveFile(getDb(), b.merchant.id, await makePng(1125, 432), "image/png");
    const mine = await saveFile(getDb(), a.merchant.id, await makePng(1125, 432), "image/png");
    const input = (stripFileId: string) =>
      pushEventInputSchema.parse({
        type: "promotion",
        audience: { templateIds: [template.id] },
        design: { stripFileId },
        startAt: new Date(Date.now() + 3_600_000),
        endAt: new Date(Date.now() + 7_200_000),
      });
    const ctx = { merchantId: a.merchant.id, actor: staffActor(a.owner.id) };
    await expect(createPushEvent(getDb(), ctx, input(theirs))).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { "design.stripFileId": "pushEvents.errors.stripFile" },
    });
    expect((await createPushEvent(getDb(), ctx, input(mine))).design.stripFileId).toBe(mine);
  });
});
