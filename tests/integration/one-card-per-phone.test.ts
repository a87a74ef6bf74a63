import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cards } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys";
import type { StaffContext } from "@/lib/auth/session";
import { CardExistsError, issueCard, issueCardOnce } from "@/lib/cards";
import { staffActor } from "@/lib/card-events/actor";
import { createTemplate } from "@/lib/templates";
import { issueCardSchema } from "@/lib/validations/cards";
import { GET as getCard } from "@/app/api/v1/cards/[id]/route";
import { POST as postCard } from "@/app/api/v1/cards/route";
import { createTestMerchant, uniquePhone } from "../factories";

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

const actions = await import("@/app/(cabinet)/cards/actions");

beforeEach(() => {
  signedIn = null;
});

async function setup() {
  const m = await createTestMerchant();
  const template = await createTemplate(getDb(), m.actor, { name: "Loyalty", kind: "loyalty" });
  const issue = (phone: string, extra: Record<string, unknown> = {}) =>
    issueCard(getDb(), m.merchant.id, staffActor(m.owner.id), issueCardSchema("RU").parse({ templateId: template.id, customer: { phone }, ...extra }));
  return { ...m, template, issue };
}

const cardsOf = async (templateId: string) => getDb().select({ id: cards.id }).from(cards).where(eq(cards.templateId, templateId));

describe("one card per phone per template: the service", () => {
  it("refuses a second card to the same phone, in any form, naming the card it holds", async () => {
    const m = await setup();
    const first = await m.issue("+79165550101");
    const refusal = await m.issue("8 (916) 555-01-01").catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(CardExistsError);
    expect(refusal).toMatchObject({ code: "card_exists", message: "cards.errors.cardExists", data: { cardId: first.id, number: first.number } });
    expect(await cardsOf(m.template.id)).toHaveLength(1);
  });

  it("issues another on purpose, and on another template freely", async () => {
    const m = await setup();
    const phone = uniquePhone();
    await m.issue(phone);
    const second = await m.issue(phone, { allowDuplicate: true });
    expect(second.id).toBeDefined();
    const other = await createTemplate(getDb(), m.actor, { name: "Other", kind: "loyalty" });
    await issueCard(getDb(), m.merchant.id, staffActor(m.owner.id), { templateId: other.id, customer: { phone } });
    expect(await cardsOf(m.template.id)).toHaveLength(2);
  });

  it("another merchant's card for the same phone does not count", async () => {
    const a = await setup();
    const b = await setup();
    const phone = uniquePhone();
    await a.issue(phone);
    await expect(b.issue(phone)).resolves.toMatchObject({ merchantId: b.merchant.id });
  });

  it("hands back the card already held when asked to (the till, enrolment)", async () => {
    const m = await setup();
    const phone = uniquePhone();
    const first = await issueCardOnce(getDb(), m.merchant.id, { type: "system" }, { templateId: m.template.id, customer: { phone } }, "return");
    const again = await issueCardOnce(getDb(), m.merchant.id, { type: "system" }, { templateId: m.template.id, customer: { phone } }, "return");
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, card: { id: first.card.id } });
  });

  it("of two issues at once to one phone, issues one", async () => {
    const m = await setup();
    const phone = uniquePhone();
    const results = await Promise.allSettled([m.issue(phone), m.issue(phone), m.issue(phone)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(CardExistsError);
    expect(await cardsOf(m.template.id)).toHaveLength(1);
  });
});

describe("one card per phone per template: POST /api/v1/cards", () => {
  async function api() {
    const m = await setup();
    const { key } = await createApiKey(getDb(), m.actor, { name: "Till", scopes: ["*"] });
    const post = (body: Record<string, unknown>) =>
      postCard(
        new Request("http://localhost/api/v1/cards", {
          method: "POST",
          headers: { authorization: `Bearer ${key}` },
          body: JSON.stringify({ templateId: m.template.id, ...body }),
        }),
        { params: Promise.resolve({} as never) },
      );
    const read = (id: string) =>
      getCard(new Request(`http://localhost/api/v1/cards/${id}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ id }) });
    return { ...m, post, read };
  }

  it("answers 409 card_exists with the existing card in error.data.card", async () => {
    const m = await api();
    const created = await m.post({ customer: { phone: "+79165550202" } });
    expect(created.status).toBe(201);
    const card = await created.json();
    const again = await m.post({ customer: { phone: "8 916 555-02-02", name: "Someone" } });
    expect(again.status).toBe(409);
    const body = await again.json();
    expect(body).toEqual({
      error: {
        code: "card_exists",
        message: `This phone already holds a card of this template (${card.number}).`,
        // The card as the API shows it (GET /cards/{id} adds only `expiring`).
        data: { card: await (await m.read(card.id)).json().then(({ expiring: _, ...shown }) => shown) },
      },
    });
    expect(await cardsOf(m.template.id)).toHaveLength(1);
  });

  it('issues another with "allowDuplicate": true, and refuses a flag that is not a boolean', async () => {
    const m = await api();
    const phone = uniquePhone();
    expect((await m.post({ customer: { phone } })).status).toBe(201);
    expect((await m.post({ customer: { phone }, allowDuplicate: false })).status).toBe(409);
    expect((await m.post({ customer: { phone }, allowDuplicate: true })).status).toBe(201);
    const bad = await m.post({ customer: { phone }, allowDuplicate: "yes" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details).toEqual([{ path: "allowDuplicate", message: "Use true or false." }]);
    expect(await cardsOf(m.template.id)).toHaveLength(2);
  });
});

describe("one card per phone per template: the cabinet's issue form", () => {
  it("tells the existing card instead of issuing, and issues another when the box is ticked", async () => {
    const m = await setup();
    signedIn = { userId: m.owner.id, merchantId: m.merchant.id, role: "owner", merchant: m.merchant, user: { ...m.owner, role: "owner" } } as StaffContext;
    const phone = uniquePhone();
    const first = await m.issue(phone);
    const form = (extra: Record<string, string> = {}) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ templateId: m.template.id, "customer.phone": phone, "customer.name": "Kept", ...extra })) fd.set(k, v);
      return fd;
    };
    const refused = await actions.issueCardAction(null, form());
    expect(refused).toMatchObject({
      ok: false,
      code: "card_exists",
      error: "cards.errors.cardExists",
      data: { cardId: first.id, number: first.number },
      values: { "customer.name": "Kept" },
    });
    expect(await cardsOf(m.template.id)).toHaveLength(1);
    // Success redirects to the new card's page.
    await expect(actions.issueCardAction(null, form({ allowDuplicate: "on" }))).rejects.toThrow(/NEXT_REDIRECT/);
    expect(await cardsOf(m.template.id)).toHaveLength(2);
  });
});
