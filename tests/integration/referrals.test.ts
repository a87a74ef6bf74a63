import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { cards, customers, referrals } from "@/db/schema";
import { eraseCustomer } from "@/lib/customers/data-rights";
import { invitationFor, listReferrals, payDueReferrals, readReferralCode, referralCode, referralFormFor } from "@/lib/forms/referral";
import { postTransaction } from "@/lib/ledger";
import { createTestMerchant, createTestWalletDevice, uniquePhone } from "../factories";
import { definition, formOf, send } from "../support/forms";

const answers = { f_name: "Olga", f_size: "m", c_terms: "on" };
const balance = async (id: string) => (await getDb().select().from(cards).where(eq(cards.id, id)))[0].balance;

describe("invite a friend", () => {
  it("rewards inviter and friend once, after the friend's card reaches a wallet; one referral per new customer", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m, { ...definition(), referral: { inviterBonus: 200, friendBonus: 50, on: "installed" } });
    expect((await referralFormFor(getDb(), m.merchant.id, form.templateId))?.id).toBe(form.id);
    const inviter = (await send(form.token, uniquePhone(), answers)).card;
    const code = referralCode(m.merchant.id, inviter.id);
    expect(readReferralCode(m.merchant.id, code)).toBe(inviter.id);
    expect(readReferralCode(m.merchant.id, `${code.slice(0, 30)}AAAA`)).toBeNull();

    const friendPhone = uniquePhone();
    const friend = (await send(form.token, friendPhone, { ...answers, ref: code })).card;
    // The same friend again, through another inviter's link: still one referral.
    await send(form.token, friendPhone, { ...answers, ref: referralCode(m.merchant.id, friend.id) }, "en", new Date(Date.now() + 61_000));
    const rows = await getDb().select().from(referrals).where(eq(referrals.merchantId, m.merchant.id));
    expect(rows).toMatchObject([{ inviterCardId: inviter.id, friendCardId: friend.id, dueAt: null, rewardedAt: null }]);

    await payDueReferrals(getDb());
    expect(await balance(friend.id)).toBe(0);
    await createTestWalletDevice(friend);
    const [due] = await getDb().select().from(referrals).where(eq(referrals.id, rows[0].id));
    expect(due.dueAt).toBeInstanceOf(Date);
    await Promise.all([payDueReferrals(getDb()), payDueReferrals(getDb())]);
    await payDueReferrals(getDb());
    expect(await balance(friend.id)).toBe(50);
    expect(await balance(inviter.id)).toBe(200);
  });

  it("with 'first used' terms, only a till's use makes it due; a known customer or a forged code records nothing", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m, { ...definition(), referral: { inviterBonus: 10, friendBonus: 0, on: "used" } });
    const inviter = (await send(form.token, uniquePhone(), answers)).card;
    const code = referralCode(m.merchant.id, inviter.id);
    const friend = (await send(form.token, uniquePhone(), { ...answers, ref: code })).card;
    await send(form.token, uniquePhone(), { ...answers, ref: "x".repeat(34) });
    await createTestWalletDevice(friend);
    await payDueReferrals(getDb());
    expect(await balance(inviter.id)).toBe(0);
    await postTransaction(
      getDb(),
      { merchantId: m.merchant.id, actor: { type: "staff", userId: m.owner.id } },
      { type: "accrue", points: 5, cardId: friend.id },
    );
    await payDueReferrals(getDb());
    expect(await balance(inviter.id)).toBe(10);
    expect(await getDb().select().from(referrals).where(eq(referrals.merchantId, m.merchant.id))).toHaveLength(1);
    // A code made for another merchant's card is not genuine here.
    const other = await createTestMerchant();
    expect(readReferralCode(other.merchant.id, code)).toBeNull();
  });

  it("a friend who erased their data and enrols again through a link is not new: no second referral", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m, { ...definition(), referral: { inviterBonus: 100, friendBonus: 0, on: "installed" } });
    const inviter = (await send(form.token, uniquePhone(), answers)).card;
    const code = referralCode(m.merchant.id, inviter.id);
    const phone = uniquePhone();
    const friend = (await send(form.token, phone, { ...answers, ref: code })).card;
    await eraseCustomer(getDb(), m.merchant.id, friend.customerId!, { type: "customer" });
    const [erased] = await getDb().select().from(customers).where(eq(customers.id, friend.customerId!));
    expect(erased.phone).toBeNull();
    expect(erased.erasedPhoneHash).toBeTruthy();
    expect(erased.erasedPhoneHash).not.toContain(phone.slice(-6));
    await send(form.token, phone, { ...answers, ref: code }, "en", new Date(Date.now() + 61_000));
    expect(await getDb().select().from(referrals).where(eq(referrals.merchantId, m.merchant.id))).toHaveLength(1);
  });

  it("the invitation rule and the cabinet's referrals list: one merchant's rows only, filtered by reward state, paged", async () => {
    const m = await createTestMerchant();
    const form = await formOf(m, { ...definition(), referral: { inviterBonus: 30, friendBonus: 5, on: "installed" } });
    const inviter = (await send(form.token, uniquePhone(), answers)).card;
    const invitation = await invitationFor(getDb(), "https://app.test/", inviter);
    expect(invitation?.url).toBe(`https://app.test/f/${form.token}?ref=${referralCode(m.merchant.id, inviter.id)}`);
    expect(await invitationFor(getDb(), "https://app.test", { ...inviter, blockReason: "blocked" })).toBeNull();
    const friend = (await send(form.token, uniquePhone(), { ...answers, ref: referralCode(m.merchant.id, inviter.id) })).card;

    const mine = await listReferrals(getDb(), m.merchant.id, { page: 1 });
    expect(mine.total).toBe(1);
    expect(mine.rows[0]).toMatchObject({
      state: "pending",
      inviterCard: { id: inviter.id },
      friendCard: { id: friend.id },
      friend: { name: "Olga" },
      inviterBonus: 30,
      friendBonus: 5,
      formName: form.name,
    });
    expect((await listReferrals(getDb(), m.merchant.id, { page: 1, state: "rewarded" })).total).toBe(0);
    expect((await listReferrals(getDb(), m.merchant.id, { page: 2 })).rows).toEqual([]);
    // Another merchant sees none of them, nor with its own empty list any of this merchant's.
    const other = await createTestMerchant();
    expect(await listReferrals(getDb(), other.merchant.id, { page: 1 })).toEqual({ rows: [], total: 0 });
    await createTestWalletDevice(friend);
    await payDueReferrals(getDb());
    expect((await listReferrals(getDb(), m.merchant.id, { page: 1, state: "rewarded" })).rows.map((r) => r.id)).toEqual(mine.rows.map((r) => r.id));
  });
});
