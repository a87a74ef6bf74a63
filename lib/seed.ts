import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { apiKeys, merchants } from "@/db/schema";
import { createApiKey, hashApiKey } from "@/lib/api-keys";
import { findUserByEmail } from "@/lib/auth/authenticate";
import { createLocation, listLocations } from "@/lib/locations";
import { createMerchantWithOwner } from "@/lib/merchants";
import { countCardsByTemplate, issueCard } from "@/lib/cards";
import { createTemplate, listTemplates } from "@/lib/templates";
import { seedReportHistory } from "@/lib/reports/demo-history";
import { seedDemoGiftCertificates } from "@/lib/gift-certificates/seed";

export const DEMO = {
  slug: "demo-coffee",
  organisation: "Demo Coffee",
  name: "Demo Owner",
  email: "owner@demo.carddesk.local",
  password: "demo-password-2026",
} as const;

const DEMO_LOCATIONS = [
  { name: "Demo Coffee — Tverskaya", address: "Tverskaya St, 7, Moscow", latitude: 55.7579, longitude: 37.6131, nearbyText: "Your coffee card works here" },
  { name: "Demo Coffee — Arbat", address: "Arbat St, 24, Moscow", latitude: 55.7508, longitude: 37.5926, nearbyText: "Show your card at the till" },
];

const DEMO_CARDS = [
  { phone: "+79161234501", name: "Anna Petrova", email: "anna@example.com", balance: 340 },
  { phone: "+79161234502", name: "Ivan Sokolov", email: undefined, balance: 120 },
  { phone: "+79161234503", name: "Olga Smirnova", email: "olga@example.com", balance: 0 },
];

/** Idempotent: running it again changes nothing that is already there. */
export async function seedDemo(db: Db, options: { apiKey?: string } = {}) {
  let [merchant] = await db.select().from(merchants).where(eq(merchants.slug, DEMO.slug));
  let ownerId: string;
  let outboxIds: string[] = [];
  if (!merchant) {
    if (await findUserByEmail(db, DEMO.email)) throw new Error(`${DEMO.email} already belongs to another merchant`);
    const created = await createMerchantWithOwner(db, DEMO);
    merchant = created.merchant;
    ownerId = created.owner.id;
    outboxIds = created.outboxIds;
    await db
      .update(merchants)
      .set({ slug: DEMO.slug, legalName: "Demo Coffee LLC", contactEmail: "hello@demo.carddesk.local" })
      .where(eq(merchants.id, merchant.id));
  } else {
    const owner = await findUserByEmail(db, DEMO.email);
    if (!owner) throw new Error("the demo merchant exists without its owner");
    ownerId = owner.id;
  }
  const actor = { merchantId: merchant.id, userId: ownerId };

  const { total } = await listLocations(db, merchant.id, { page: 1, pageSize: 1 });
  if (total === 0) for (const location of DEMO_LOCATIONS) await createLocation(db, actor, location);

  const templates = await listTemplates(db, merchant.id, { page: 1, pageSize: 1, archived: false });
  const templateId = templates.rows[0]?.template.id ?? (await createTemplate(db, actor, { name: "Coffee lovers' card", kind: "loyalty" })).id;
  if (!(await countCardsByTemplate(db, merchant.id, [templateId])).get(templateId)) {
    // A few months of history first, so the demo's reports and dashboard are not empty.
    await seedReportHistory(db, { id: merchant.id, ownerId, templateId });
    for (const c of DEMO_CARDS) {
      await issueCard(
        db,
        merchant.id,
        { type: "staff", userId: ownerId },
        { templateId, customer: { phone: c.phone, name: c.name, email: c.email }, balance: c.balance, discount: 0 },
      );
    }
  }

  await seedDemoGiftCertificates(db, actor);

  if (options.apiKey) {
    const [existing] = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.merchantId, merchant.id), eq(apiKeys.keyHash, hashApiKey(options.apiKey))));
    if (!existing) await createApiKey(db, actor, { name: "Seed key", scopes: ["*"], value: options.apiKey });
  }
  return { merchantId: merchant.id, email: DEMO.email, password: DEMO.password, outboxIds };
}
