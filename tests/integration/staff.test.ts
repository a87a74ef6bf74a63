import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { addStaff, changePassword, changeStaffRole, listStaff, setStaffActive } from "@/lib/staff";
import { PASSWORD, createTestMerchant, createTestStaff, unique } from "../factories";

const ip = () => unique("ip");

describe("staff", () => {
  it("adds a member who can sign in, and e-mails them the sign-in address", async () => {
    const { actor, merchant } = await createTestMerchant();
    const { member, outboxIds } = await createTestStaff(actor, "cashier");
    expect(member).toMatchObject({ role: "cashier", active: true, merchantId: merchant.id });
    expect(member).not.toHaveProperty("passwordHash");
    const [mail] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, outboxIds[0]));
    expect(mail).toMatchObject({ recipient: member.email, channel: "email", status: "queued" });
    expect(mail.body).toContain("/sign-in");
    expect(mail.body).not.toContain(PASSWORD);
    expect((await authenticate(getDb(), { email: member.email, password: PASSWORD, ip: ip() })).ok).toBe(true);
  });

  it("refuses an e-mail that is taken at any merchant", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    await expect(addStaff(getDb(), b.actor, { name: "X", email: a.owner.email, role: "admin", password: PASSWORD })).rejects.toMatchObject({
      fieldErrors: { email: "validation.emailTaken" },
    });
  });

  it("changes roles, but never the caller's own and never away from the last active owner", async () => {
    const { actor } = await createTestMerchant();
    const { member } = await createTestStaff(actor, "manager");
    expect((await changeStaffRole(getDb(), actor, member.id, "admin")).role).toBe("admin");
    await expect(changeStaffRole(getDb(), actor, actor.userId, "cashier")).rejects.toMatchObject({ message: "staff.errors.self" });
    await expect(setStaffActive(getDb(), actor, actor.userId, false)).rejects.toMatchObject({ message: "staff.errors.self" });

    const second = await createTestStaff(actor, "owner");
    // The second owner may not demote the first if that would leave no active owner: here one remains, so it works.
    expect((await changeStaffRole(getDb(), second.actor, actor.userId, "admin")).role).toBe("admin");
    await expect(changeStaffRole(getDb(), { merchantId: actor.merchantId, userId: member.id }, second.member.id, "cashier")).rejects.toMatchObject({
      message: "staff.errors.lastOwner",
    });
    await expect(setStaffActive(getDb(), { merchantId: actor.merchantId, userId: member.id }, second.member.id, false)).rejects.toMatchObject({
      message: "staff.errors.lastOwner",
    });
  });

  it("lists only the merchant's own staff", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    await createTestStaff(a.actor);
    const list = await listStaff(getDb(), a.merchant.id, { page: 1, pageSize: 10 });
    expect(list.total).toBe(2);
    expect(list.rows.every((r) => r.merchantId === a.merchant.id)).toBe(true);
    await expect(changeStaffRole(getDb(), b.actor, list.rows[1].id, "owner")).rejects.toMatchObject({ code: "not_found" });
  });

  it("changes the password only with the right current one", async () => {
    const { actor, owner } = await createTestMerchant();
    await expect(changePassword(getDb(), actor, "wrong-current-1", "New-pass-67890")).rejects.toMatchObject({
      fieldErrors: { currentPassword: "validation.currentPasswordWrong" },
    });
    await changePassword(getDb(), actor, PASSWORD, "New-pass-67890");
    expect((await authenticate(getDb(), { email: owner.email, password: "New-pass-67890", ip: ip() })).ok).toBe(true);
    expect((await authenticate(getDb(), { email: owner.email, password: PASSWORD, ip: ip() })).ok).toBe(false);
  });
});
