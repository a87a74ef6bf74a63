import { beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { ledgerTransactions } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { getCardOrThrow, issueCard } from "@/lib/cards";
import { createTemplate } from "@/lib/templates";
import { createTestMerchant, createTestStaff, uniquePhone } from "../factories";

// Actions run as whoever this says; the real guard reads the next-auth cookie.
let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn, requireStaff: async () => signedIn }));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("next-intl/server", () => ({ getLocale: async () => "en" }));

const actions = await import("@/app/(cabinet)/cards/actions");

const form = (values: Record<string, string | number>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, String(v));
  return fd;
};
const as = (m: Awaited<ReturnType<typeof createTestMerchant>>, role: StaffContext["role"] = "owner", userId = m.owner.id): StaffContext => ({
  userId,
  merchantId: m.merchant.id,
  role,
  merchant: m.merchant,
  user: { ...m.owner, id: userId, role },
});

beforeEach(() => {
  signedIn = null;
});

describe("card actions in the cabinet", () => {
  it("another merchant's staff get 'not found' for every action on a card, and nothing changes", async () => {
    const a = await createTestMerchant();
    const template = await createTemplate(getDb(), a.actor, { name: "A", kind: "loyalty" });
    const card = await issueCard(
      getDb(),
      a.merchant.id,
      { type: "staff", userId: a.owner.id },
      { templateId: template.id, customer: { phone: uniquePhone(), name: "Holder" } },
    );
    const b = await createTestMerchant();
    signedIn = as(b);
    const id = card.id;
    const attempts = [
      actions.updateCardValuesAction(null, form({ id, expectedTag: card.updateTag, balance: 99 })),
      actions.setCardExpiryAction(null, form({ id, expectedTag: card.updateTag, expiresAt: "2099-01-01" })),
      actions.transitionCardAction(null, form({ id, op: "block" })),
      actions.moveCardAction(null, form({ id, templateId: template.id })),
      actions.deleteCardAction(null, form({ id })),
      actions.updateCardCustomerAction(null, form({ id, "customer.phone": uniquePhone() })),
      actions.sendCardAction(null, form({ id, channel: "sms" })),
    ];
    for (const result of await Promise.all(attempts)) expect(result).toMatchObject({ ok: false, code: expect.stringMatching(/^(not_found|validation)$/) });
    // Issuing from A's template is refused too.
    expect(await actions.issueCardAction(null, form({ templateId: template.id, "customer.phone": uniquePhone() }))).toMatchObject({
      ok: false,
      fieldErrors: { templateId: "cards.errors.template" },
    });
    const after = await getCardOrThrow(getDb(), a.merchant.id, id);
    expect(after.card).toMatchObject({ balance: 0, blockReason: null, expiresAt: card.expiresAt });
  });

  it("the Values form never sets the balance: a balance sent with it is ignored, only the ledger moves it", async () => {
    const a = await createTestMerchant();
    const template = await createTemplate(getDb(), a.actor, { name: "A", kind: "loyalty" });
    const card = await issueCard(
      getDb(),
      a.merchant.id,
      { type: "staff", userId: a.owner.id },
      { templateId: template.id, customer: { phone: uniquePhone() }, balance: 40 },
    );
    signedIn = as(a);
    // A forged form (the field is gone from the page) still carries a balance: the discount is saved, the balance is not.
    await expect(actions.updateCardValuesAction(null, form({ id: card.id, expectedTag: card.updateTag, balance: 9999, discount: 7 }))).rejects.toThrow(
      /NEXT_REDIRECT/,
    );
    const after = await getCardOrThrow(getDb(), a.merchant.id, card.id);
    expect(after.card).toMatchObject({ balance: 40, discount: 7 });
    const moved = await getDb().select().from(ledgerTransactions).where(eq(ledgerTransactions.cardId, card.id));
    expect(moved.map((t) => t.type)).toEqual(["adjust"]); // the opening balance only
  });

  it("a cashier may issue and send but not change or delete cards", async () => {
    const a = await createTestMerchant();
    const cashier = await createTestStaff(a.actor, "cashier");
    const template = await createTemplate(getDb(), a.actor, { name: "A", kind: "loyalty" });
    const card = await issueCard(
      getDb(),
      a.merchant.id,
      { type: "staff", userId: a.owner.id },
      { templateId: template.id, customer: { phone: uniquePhone() } },
    );
    signedIn = as(a, "cashier", cashier.member.id);
    expect(await actions.transitionCardAction(null, form({ id: card.id, op: "block" }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await actions.deleteCardAction(null, form({ id: card.id }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await actions.sendCardAction(null, form({ id: card.id, channel: "sms" }))).toMatchObject({ ok: true });
  });

  it("refuses a bad phone next to its field, keeping what was typed", async () => {
    const a = await createTestMerchant();
    const template = await createTemplate(getDb(), a.actor, { name: "A", kind: "loyalty" });
    signedIn = as(a);
    const result = await actions.issueCardAction(null, form({ templateId: template.id, "customer.phone": "12345", "customer.name": "Kept Name" }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { "customer.phone": "customers.errors.phone" }, values: { "customer.name": "Kept Name" } });
  });
});
