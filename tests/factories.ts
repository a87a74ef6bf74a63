import { randomBytes } from "node:crypto";
import { getDb } from "@/db";
import type { Card, StaffRole, TemplateKind } from "@/db/schema";
import { staffActor } from "@/lib/card-events/actor";
import { issueCard } from "@/lib/cards";
import { issueCardsBatch } from "@/lib/cards/issue";
import { upsertCustomers, type CustomerInput } from "@/lib/customers";
import { getAppleSigner } from "@/lib/passes/apple/signer";
import { createTemplate, getTemplateOrThrow } from "@/lib/templates";
import { registerDevice } from "@/lib/wallet/service";
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

// Parallel Vitest workers each have their own pool id; within a worker, files run one after another,
// each from a random point of the counter. So two numbers can only meet in different databases.
const worker = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 0) % 100;
let phoneCounter = Math.floor(Math.random() * 50_000);
/** A valid Russian mobile number no other test in this run uses: +7 916, the worker's two digits, a counter. */
export function uniquePhone(): string {
  phoneCounter = (phoneCounter + 1) % 100_000;
  return `+7916${String(worker).padStart(2, "0")}${String(phoneCounter).padStart(5, "0")}`;
}

export type TestMerchant = Awaited<ReturnType<typeof createTestMerchant>>;

/** A template of the merchant's (loyalty unless told), saved as its first version. */
export async function createTestTemplate(m: TestMerchant, opts: { name?: string; kind?: TemplateKind } = {}) {
  return createTemplate(getDb(), m.actor, { name: opts.name ?? unique("Template"), kind: opts.kind ?? "loyalty" });
}

/** A customer of the merchant with a unique phone unless one is given. */
export async function createTestCustomer(m: TestMerchant, opts: Partial<CustomerInput> = {}) {
  const input: CustomerInput = { phone: opts.phone ?? uniquePhone(), name: opts.name ?? "Anna Test", ...opts };
  return (await upsertCustomers(getDb(), m.merchant.id, [input])).get(input.phone)!;
}

/** A card issued by the merchant's owner (a new loyalty template unless one is given), to a new holder unless told. */
export async function createTestCard(m: TestMerchant, opts: { template?: { id: string }; phone?: string; name?: string; balance?: number } = {}) {
  const template = opts.template ?? (await createTestTemplate(m));
  const card = await issueCard(getDb(), m.merchant.id, staffActor(m.owner.id), {
    templateId: template.id,
    customer: { phone: opts.phone ?? uniquePhone(), name: opts.name ?? "Anna Test" },
    balance: opts.balance,
  });
  return { card, template };
}

/** A wallet holding the card: an Apple device registered as the PassKit web service would. */
export async function createTestWalletDevice(card: Card, device = unique("device")) {
  const passTypeId = (await getAppleSigner(getDb(), card.merchantId)).passTypeId;
  await registerDevice(
    getDb(),
    { ...card, passTypeId },
    { platform: "apple", deviceLibraryId: device, passTypeId, pushToken: Buffer.from(device).toString("hex"), model: "iPhone" },
  );
  return { device, passTypeId };
}

/** A loyalty template with `count` cards, each for a new customer, issued 400 to a transaction as an import's batches are. */
export async function createManyTestCards(m: TestMerchant, count: number, name = "Coffee") {
  const template = await createTemplate(getDb(), m.actor, { name, kind: "loyalty" });
  const { version } = await getTemplateOrThrow(getDb(), m.merchant.id, template.id);
  for (let i = 0; i < count; i += 400) {
    await getDb().transaction((tx) =>
      issueCardsBatch(
        tx,
        m.merchant.id,
        { template, definition: version.definition },
        Array.from({ length: Math.min(400, count - i) }, () => ({ customer: { phone: uniquePhone() } })),
        staffActor(m.owner.id),
      ),
    );
  }
  return template;
}
