import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards, ledgerTransactions } from "@/db/schema";
import { createSource, getSourceOrThrow, listSourceCards, listSources, sourceOptions, updateSource, type SourceInput } from "@/lib/forms/sources";
import { foldAll } from "@/lib/reports/fold";
import { getTemplateOrThrow, saveTemplateVersion } from "@/lib/templates";
import { DEFAULT_CUMULATIVE_PROGRAM, DEFAULT_DISCOUNT_PROGRAM } from "@/lib/templates/definition";
import { dayIn } from "@/lib/reports/dimensions";
import { conversionReport } from "@/lib/reports/queries";
import { reportFiltersSchema } from "@/lib/validations/reports";
import { createTestMerchant, uniquePhone } from "../factories";
import { formOf, send } from "../support/forms";

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
  active: true,
  ...patch,
});

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
});
