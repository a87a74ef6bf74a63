import { randomBytes } from "node:crypto";
import { getDb } from "@/db";
import type { StaffRole } from "@/db/schema";
import { createMerchantWithOwner } from "@/lib/merchants";
import { addStaff } from "@/lib/staff";

export const PASSWORD = "Test-pass-12345";

export const unique = (prefix = "t") => `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;

/** A new merchant with its owner; `actor` is what services take as the one making changes. */
export async function createTestMerchant(name = unique("Merchant")) {
  const { merchant, owner, outboxIds } = await createMerchantWithOwner(getDb(), {
    organisation: name,
    name: "Owner Person",
    email: `${unique("owner")}@example.com`,
    password: PASSWORD,
  });
  return { merchant, owner, outboxIds, actor: { merchantId: merchant.id, userId: owner.id } };
}

export async function createTestStaff(actor: { merchantId: string; userId: string }, role: StaffRole = "cashier") {
  const email = `${unique(role)}@example.com`;
  const { member, outboxIds } = await addStaff(getDb(), actor, { name: `A ${role}`, email, role, password: PASSWORD });
  return { member, outboxIds, actor: { merchantId: actor.merchantId, userId: member.id } };
}

let phoneCounter = 0;
/** A valid Russian mobile number no other test uses. */
export function uniquePhone(): string {
  phoneCounter += 1;
  const n = (Date.now() * 1000 + process.pid * 7 + phoneCounter) % 10_000_000;
  return `+7916${String(n).padStart(7, "0")}`;
}
