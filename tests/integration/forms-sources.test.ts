import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cardEvents, cards, ledgerTransactions } from "@/db/schema";
import { postTransaction, reverseTransaction } from "@/lib/ledger";
import { lookupCard } from "@/lib/ledger/lookup";
import { toPassCard } from "@/lib/wallet/pass";
import {
  createSource,
  getSourceOrThrow,
  listSourceCards,
  listSources,
  sourceFormOptions,
  sourceOptions,
  updateSource,
  type SourceInput,
} from "@/lib/forms/sources";
import { foldAll } from "@/lib/reports/fold";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_CUMULATIVE_PROGRAM, DEFAULT_DISCOUNT_PROGRAM, type LoyaltyProgram } from "@/lib/templates/definition";
import { dayIn } from "@/lib/reports/dimensions";
import { conversionReport, levelDistribution } from "@/lib/reports/queries";
import { sourceEditorSchema } from "@/lib/validations/forms";
import { reportFiltersSchema } from "@/lib/validations/reports";
import { createTestMerchant, uniquePhone, type TestMerchant } from "../factories";
import { formOf, send } from "../support/forms";
import { LEVELS } from "../support/levels";

const answers = { f_name: "Olga", f_size: "m", c_terms: "on" };
const base = (formId: string, patch: Partial<SourceInput> = {}): SourceInput => ({
  kind: "group",
  formId,
  name: "Flyer",
  tag: "flyer",
  startsAt: null,
  endsAt: null,
  maxRegistrations: null,
  welcomeBonus: 0,
  discount: null,
  levelFloor: null,
  active: true,
  ...patch,
});

/** A form whose template runs this programme. */
async function formWith(m: TestMerchant, program: LoyaltyProgram) {
  const form = await formOf(m);
  const { template, version } = await getTemplateOrThrow(getDb(), m.merchant.id, form.templateId);
  await saveTemplateVersion(getDb(), m.actor, template.id, { name: template.name, definition: { ...version.definition, program } });
  return form;
}

describe("registration groups and companies", () => {
  it("a group's link issues cards carrying it, pays its welcome bonus once through the ledger, and stops at its limit", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    const group = await createSource(getDb(), m.actor, base(form.id, { maxRegistrations: 2, welcomeBonus: 150 }));
    const phone = uniquePhone();
    const first = await send(group.token, phone, answers);
    expect(first.card).toMatchObject({ sourceId: group.id, balance: 150 });
    const welcome = await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, first.card.id));
    expect(welcome).toMatchObject([{ type: "accrue", points: 150, idempotencyKey: `welcome:${first.card.id}` }]);
    // The same phone again: its card, no second bonus, not counted twice.
    const again = await send(group.token, phone, answers, "en", new Date(Date.now() + 61_000));
    expect(again).toMatchObject({ created: false, card: { id: first.card.id, balance: 150 } });
    await send(group.token, uniquePhone(), answers);
    await expect(send(group.token, uniquePhone(), answers)).rejects.toMatchObject({ message: "forms.errors.full" });
    expect((await getSourceOrThrow(getDb(), m.merchant.id, group.id)).registrations).toBe(2);
    expect(
      await getDb()
        .select()
        .from(cards)
        .where(and(eq(cards.merchantId, m.merchant.id), eq(cards.sourceId, group.id))),
    ).toHaveLength(2);
  });

  it("takes registrations only within its period and while switched on", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    const now = Date.now();
    const group = await createSource(getDb(), m.actor, base(form.id, { startsAt: new Date(now + 3600_000), endsAt: new Date(now + 7200_000) }));
    await expect(send(group.token, uniquePhone(), answers)).rejects.toMatchObject({ message: "forms.errors.notYet" });
    await expect(send(group.token, uniquePhone(), answers, "en", new Date(now + 7300_000))).rejects.toMatchObject({ message: "forms.errors.ended" });
    expect((await send(group.token, uniquePhone(), answers, "en", new Date(now + 3700_000))).created).toBe(true);
    await updateSource(getDb(), m.actor, group.id, { ...base(form.id), active: false });
    await expect(send(group.token, uniquePhone(), answers)).rejects.toMatchObject({ message: "forms.errors.closed" });
    await expect(createSource(getDb(), m.actor, base(form.id, { startsAt: new Date(now), endsAt: new Date(now - 1) }))).rejects.toMatchObject({
      fieldErrors: { endsAt: "regGroups.errors.period" },
    });
  });

  it("a company gives its starting discount and lists its enrolled cards; its employee cap holds under parallel sign-ups", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    const company = await createSource(getDb(), m.actor, base(form.id, { kind: "company", name: "Acme", discount: 7, maxRegistrations: 3 }));
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => send(company.token, uniquePhone(), answers)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.message)).toEqual(Array(3).fill("forms.errors.full"));
    const { rows, total } = await listSourceCards(getDb(), m.merchant.id, company.id);
    expect(total).toBe(3);
    expect(rows.every((r) => r.holder === "Olga")).toBe(true);
    const [card] = await getDb().select().from(cards).where(eq(cards.id, rows[0].id));
    expect(card.discount).toBe(7);
  });

  it("a company's starting discount is refused where the form's template sets the discount itself (fixed or by levels)", async () => {
    for (const program of [DEFAULT_DISCOUNT_PROGRAM, DEFAULT_CUMULATIVE_PROGRAM]) {
      const m = await createTestMerchant();
      const form = await formOf(m);
      const { template, version } = await getTemplateOrThrow(getDb(), m.merchant.id, form.templateId);
      await saveTemplateVersion(getDb(), m.actor, template.id, { name: template.name, definition: { ...version.definition, program } });
      await expect(createSource(getDb(), m.actor, base(form.id, { kind: "company", discount: 5 }))).rejects.toMatchObject({
        fieldErrors: { discount: "regGroups.errors.discountProgramme" },
      });
      // Blank (the programme's own), and a group (which has no discount), are fine; so is changing a company without one.
      const company = await createSource(getDb(), m.actor, base(form.id, { kind: "company", discount: null }));
      await createSource(getDb(), m.actor, base(form.id, { discount: 5 }));
      await expect(updateSource(getDb(), m.actor, company.id, { ...base(form.id), discount: 9 })).rejects.toMatchObject({
        fieldErrors: { discount: "regGroups.errors.discountProgramme" },
      });
      await updateSource(getDb(), m.actor, company.id, { ...base(form.id), name: "Acme" });
    }
  });

  it("a company's starting level: its cards start there (till, pass, reports), purchases lift them, refunds never drop them below it", async () => {
    const m = await createTestMerchant();
    const form = await formWith(m, LEVELS);
    const company = await createSource(getDb(), m.actor, base(form.id, { kind: "company", name: "Acme", levelFloor: 1_000_000, welcomeBonus: 20 }));
    expect(company.levelFloor).toBe(1_000_000);
    const { card } = await send(company.token, uniquePhone(), answers);
    expect(card).toMatchObject({ levelFloor: 1_000_000, purchaseTotal: 0, discount: 5, balance: 20 });
    // The welcome bonus moved no level: the card was Silver from its first moment.
    const levelEvents = async () =>
      (
        await getDb()
          .select()
          .from(cardEvents)
          .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "level.changed")))
      ).map((e) => [e.data.from, e.data.to]);
    expect(await levelEvents()).toEqual([]);
    const issued = await getDb()
      .select()
      .from(cardEvents)
      .where(and(eq(cardEvents.cardId, card.id), eq(cardEvents.type, "card.issued")));
    expect(issued[0].data).toMatchObject({ discount: 5, levelFloor: 1_000_000, source: `company:${company.id}` });

    const found = await lookupCard(getDb(), m.merchant.id, { code: card.number });
    expect(found.level).toMatchObject({ name: "Silver", discountPercent: 5, earnPercent: 3, nextLevelIn: 5_000_000 });
    expect(found.discountPercent).toBe(5);
    const definition = (await getTemplateOrThrow(getDb(), m.merchant.id, card.templateId)).version.definition;
    const row = async () => (await getDb().select().from(cards).where(eq(cards.id, card.id)))[0];
    expect(toPassCard(await row(), "Olga", { kind: "loyalty", definition })).toMatchObject({ level: "Silver", discount: 5, nextLevelIn: 5_000_000 });
    await foldAll(getDb());
    const silverCards = async () => (await levelDistribution(getDb(), m.merchant.id, {}))[0].levels.map((l) => [l.name, l.cards]);
    expect(await silverCards()).toEqual([
      ["Base", 0],
      ["Silver", 1],
      ["Gold", 0],
    ]);

    // It earns at its floor's rate (Silver: 3 %), and a purchase that reaches Gold lifts it.
    const ctx = { merchantId: m.merchant.id, actor: { type: "api" as const, keyId: "till-1" } };
    const first = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 300_000 });
    expect(first.transaction.accrued).toBe(90);
    const big = await postTransaction(getDb(), ctx, { cardId: card.id, type: "purchase", amount: 4_800_000 });
    expect(await row()).toMatchObject({ purchaseTotal: 5_100_000, discount: 10 });
    expect(await levelEvents()).toEqual([["Silver", "Gold"]]);

    // Refunds: back below Gold to the floor, and no further — even to a total of nothing.
    await reverseTransaction(getDb(), ctx, { transactionId: big.transaction.id });
    expect(await row()).toMatchObject({ purchaseTotal: 300_000, discount: 5 });
    await reverseTransaction(getDb(), ctx, { transactionId: first.transaction.id });
    expect(await row()).toMatchObject({ purchaseTotal: 0, discount: 5, levelFloor: 1_000_000 });
    expect(await levelEvents()).toEqual([
      ["Silver", "Gold"],
      ["Gold", "Silver"],
    ]);
    expect((await lookupCard(getDb(), m.merchant.id, { code: card.number })).level).toMatchObject({ name: "Silver", nextLevelIn: 5_000_000 });
    await foldAll(getDb());
    expect(await silverCards()).toEqual([
      ["Base", 0],
      ["Silver", 1],
      ["Gold", 0],
    ]);

    // The form's own link, and a company without a starting level, start at the first level.
    expect((await send(form.token, uniquePhone(), answers)).card).toMatchObject({ levelFloor: null, discount: 3 });
    const plain = await createSource(getDb(), m.actor, base(form.id, { kind: "company", name: "Plain" }));
    expect((await send(plain.token, uniquePhone(), answers)).card).toMatchObject({ levelFloor: null, discount: 3 });
  });

  it("a starting level is one of the template's levels, only where it has levels, never with a starting discount, never a group's", async () => {
    const m = await createTestMerchant();
    const form = await formWith(m, LEVELS);
    const company = (patch: Partial<SourceInput>) => base(form.id, { kind: "company", name: "Acme", ...patch });
    await expect(createSource(getDb(), m.actor, company({ levelFloor: 1_000_000, discount: 5 }))).rejects.toMatchObject({
      fieldErrors: { levelFloor: "regGroups.errors.discountOrLevel", discount: "regGroups.errors.discountOrLevel" },
    });
    for (const levelFloor of [0, 999_999, 1_000_001, 9_000_000])
      await expect(createSource(getDb(), m.actor, company({ levelFloor }))).rejects.toMatchObject({
        fieldErrors: { levelFloor: "regGroups.errors.levelUnknown" },
      });
    const points = await formOf(m);
    await expect(createSource(getDb(), m.actor, base(points.id, { kind: "company", levelFloor: 1_000_000 }))).rejects.toMatchObject({
      fieldErrors: { levelFloor: "regGroups.errors.levelNoLevels" },
    });
    // A group keeps no starting level (nor discount), whatever is sent.
    const group = await createSource(getDb(), m.actor, base(form.id, { levelFloor: 1_000_000 }));
    expect(group.levelFloor).toBeNull();
    // Changing a company: to Gold, then moving it to a form without levels needs the level cleared.
    const acme = await createSource(getDb(), m.actor, company({ levelFloor: 1_000_000 }));
    expect((await updateSource(getDb(), m.actor, acme.id, { ...company({ levelFloor: 5_000_000 }) })).levelFloor).toBe(5_000_000);
    // The merchant moves Gold's threshold: the company keeps its floor on saving (it names a level still), but cannot pick another stray one.
    const { template, version } = await getTemplateOrThrow(getDb(), m.merchant.id, form.templateId);
    const moved = { ...LEVELS, levels: [LEVELS.levels[0], LEVELS.levels[1], { ...LEVELS.levels[2], minTotal: 6_000_000 }] };
    await saveTemplateVersion(getDb(), m.actor, template.id, { name: template.name, definition: { ...version.definition, program: moved } });
    expect((await updateSource(getDb(), m.actor, acme.id, { ...company({ levelFloor: 5_000_000, name: "Acme 2" }) })).name).toBe("Acme 2");
    await expect(updateSource(getDb(), m.actor, acme.id, company({ levelFloor: 4_000_000 }))).rejects.toMatchObject({
      fieldErrors: { levelFloor: "regGroups.errors.levelUnknown" },
    });
    await expect(updateSource(getDb(), m.actor, acme.id, { ...base(points.id), levelFloor: 5_000_000 })).rejects.toMatchObject({
      fieldErrors: { levelFloor: "regGroups.errors.levelNoLevels" },
    });
    expect((await updateSource(getDb(), m.actor, acme.id, { ...base(points.id), discount: 4 })).levelFloor).toBeNull();

    // The editor's field: blank is none; anything but a whole amount in range is told, never a 500.
    const editor = sourceEditorSchema(() => null);
    const field = { kind: "company", formId: form.id, name: "Acme", welcomeBonus: "0", discount: "" };
    expect(editor.parse({ ...field, levelFloor: "" }).levelFloor).toBeNull();
    expect(editor.parse({ ...field, levelFloor: "1000000" }).levelFloor).toBe(1_000_000);
    for (const bad of ["1e300", "-5", "0", "1.5", "abc", "\u0000", "9".repeat(400)])
      expect(new Set(editor.safeParse({ ...field, levelFloor: bad }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`))).toEqual(
        new Set(["levelFloor: regGroups.errors.levelUnknown"]),
      );
  });

  it("reports filter by group and by company through the source dimension", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m);
    const group = await createSource(getDb(), m.actor, base(form.id));
    const company = await createSource(getDb(), m.actor, base(form.id, { kind: "company", name: "Acme" }));
    await send(group.token, uniquePhone(), answers);
    await send(group.token, uniquePhone(), answers);
    await send(company.token, uniquePhone(), answers);
    await send(form.token, uniquePhone(), answers);
    await foldAll(getDb());
    const today = dayIn(m.merchant.timeZone, new Date());
    const issued = async (source?: string) =>
      (await conversionReport(getDb(), m.merchant.id, reportFiltersSchema.parse({ from: today, to: today, ...(source && { source }) }))).total.issued;
    expect(await issued(`group:${group.id}`)).toBe(2);
    expect(await issued(`company:${company.id}`)).toBe(1);
    expect(await issued("enrolment")).toBe(1);
    expect(await issued()).toBe(4);
    expect((await sourceOptions(getDb(), m.merchant.id)).map((o) => o.value).sort()).toEqual([`company:${company.id}`, `group:${group.id}`].sort());
    expect(reportFiltersSchema.safeParse({ from: today, to: today, source: "group:nope" }).success).toBe(false);
  });

  it("tenancy: another merchant cannot see, change or use a group, nor point one at a foreign form", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const form = await formOf(a);
    const group = await createSource(getDb(), a.actor, base(form.id));
    expect(await listSources(getDb(), b.merchant.id)).toHaveLength(0);
    await expect(getSourceOrThrow(getDb(), b.merchant.id, group.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(createSource(getDb(), b.actor, base(form.id))).rejects.toMatchObject({ fieldErrors: { formId: "regGroups.errors.form" } });
    const bForm = await formOf(b);
    await expect(updateSource(getDb(), b.actor, group.id, base(bForm.id))).rejects.toMatchObject({ code: "not_found" });
    expect((await listSourceCards(getDb(), b.merchant.id, group.id)).total).toBe(0);
  });

  it("tenancy: another merchant's company, its starting level and its levels stay its own", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const aForm = await formWith(a, LEVELS);
    const company = await createSource(getDb(), a.actor, base(aForm.id, { kind: "company", levelFloor: 5_000_000 }));
    const bForm = await formWith(b, LEVELS);
    // B can neither change A's company (not even its starting level) nor point a company at A's form.
    await expect(updateSource(getDb(), b.actor, company.id, base(bForm.id, { levelFloor: 1_000_000 }))).rejects.toMatchObject({ code: "not_found" });
    await expect(createSource(getDb(), b.actor, base(aForm.id, { kind: "company", levelFloor: 1_000_000 }))).rejects.toMatchObject({
      fieldErrors: { formId: "regGroups.errors.form" },
    });
    expect((await getSourceOrThrow(getDb(), a.merchant.id, company.id)).source.levelFloor).toBe(5_000_000);
    // The editor's options are each merchant's own forms, with their templates' levels above the first.
    expect(await sourceFormOptions(getDb(), b.merchant.id)).toEqual([
      {
        id: bForm.id,
        name: "Club",
        levels: [
          { name: "Silver", minTotal: 1_000_000, discountPercent: 5 },
          { name: "Gold", minTotal: 5_000_000, discountPercent: 10 },
        ],
      },
    ]);
    // A's company link issues A's card at Gold; B's lookup never finds it.
    const { card } = await send(company.token, uniquePhone(), answers);
    expect(card).toMatchObject({ merchantId: a.merchant.id, levelFloor: 5_000_000, discount: 10 });
    await expect(lookupCard(getDb(), b.merchant.id, { code: card.number })).rejects.toMatchObject({ code: "card_not_found" });
  });
});
