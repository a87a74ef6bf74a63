import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { merchantCredentials, messagingSettings } from "@/db/schema";
import { issueCard } from "@/lib/cards";
import { staffActor } from "@/lib/cards/actor";
import { getSetupChecklist } from "@/lib/dashboard/setup";
import { createLocation } from "@/lib/locations";
import { createTemplate, setTemplateArchived } from "@/lib/templates";
import { createTestMerchant, unique, uniquePhone } from "../factories";

const done = async (merchantId: string) => Object.fromEntries((await getSetupChecklist(getDb(), merchantId)).steps.map((s) => [s.step, s.done]));

describe("dashboard setup checklist", () => {
  it("lists template → Apple certificate → SMS service → first card, and ticks each from the merchant's own data", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const other = await createTestMerchant();
    const first = await getSetupChecklist(db, m.merchant.id);
    expect(first.steps.map((s) => [s.step, s.href])).toEqual([
      ["template", "/templates/new"],
      ["appleCertificate", "/settings/certificates"],
      ["sms", "/settings/sms"],
      ["firstCard", "/cards/new"],
    ]);
    expect(first.allDone).toBe(false);
    expect(await done(m.merchant.id)).toEqual({ template: false, appleCertificate: false, sms: false, firstCard: false });

    // Points of sale are not a step: the old welcome note asked for them and stayed after 11 were added.
    await createLocation(db, m.actor, { name: "Shop 1", address: "", latitude: 55.75, longitude: 37.61, nearbyText: "" });
    expect(await done(m.merchant.id)).toEqual({ template: false, appleCertificate: false, sms: false, firstCard: false });

    // An archived template does not count; a live one does.
    const archived = await createTemplate(db, m.actor, { name: "Old", kind: "loyalty" });
    await setTemplateArchived(db, m.actor, archived.id, true);
    expect((await done(m.merchant.id)).template).toBe(false);
    const template = await createTemplate(db, m.actor, { name: "Loyalty", kind: "loyalty" });
    expect((await done(m.merchant.id)).template).toBe(true);

    // The development certificate makes passes iPhones refuse: only the merchant's own counts.
    await db.insert(merchantCredentials).values({ merchantId: m.merchant.id, kind: "apple_dev", sealed: "x", passTypeId: `pass.dev.${unique()}` });
    expect((await done(m.merchant.id)).appleCertificate).toBe(false);
    await db
      .insert(merchantCredentials)
      .values({ merchantId: m.merchant.id, kind: "apple", sealed: "x", passTypeId: `pass.com.${unique()}`, teamId: "TEAM123456" });
    expect((await done(m.merchant.id)).appleCertificate).toBe(true);

    // The console SMS service only logs; a real one counts.
    await db.insert(messagingSettings).values({ merchantId: m.merchant.id, smsProvider: "console" });
    expect((await done(m.merchant.id)).sms).toBe(false);
    await db.update(messagingSettings).set({ smsProvider: "smsru" }).where(eq(messagingSettings.merchantId, m.merchant.id));
    expect((await done(m.merchant.id)).sms).toBe(true);

    await issueCard(db, m.merchant.id, staffActor(m.owner.id), { templateId: template.id, customer: { phone: uniquePhone(), name: "Anna" } });
    const last = await getSetupChecklist(db, m.merchant.id);
    expect(last.allDone).toBe(true);

    // Another merchant's progress is its own.
    expect(await done(other.merchant.id)).toEqual({ template: false, appleCertificate: false, sms: false, firstCard: false });
  });
});
