import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditTable, listAudit, recordAudit } from "@/lib/audit";
import { toCsv } from "@/lib/reports/tables";
import { auditFiltersSchema } from "@/lib/validations/audit";
import { createTestMerchant, createTestStaff } from "../factories";

describe("activity log filters and CSV", () => {
  it("filter by who, what and when, inside the merchant only", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { member } = await createTestStaff(a.actor, "admin");
    await recordAudit(getDb(), { merchantId: a.merchant.id, userId: member.id }, { action: "card.block", entityType: "card", entityId: "x" });
    await recordAudit(getDb(), b.actor, { action: "card.block", entityType: "card", entityId: "b" });
    const byMember = await listAudit(getDb(), a.merchant.id, { page: 1, pageSize: 50, filters: { user: member.id } });
    expect(byMember.rows.map((r) => r.entry.action)).toEqual(["card.block"]);
    const staff = await listAudit(getDb(), a.merchant.id, { page: 1, pageSize: 50, filters: { action: "staff" } });
    expect(staff.rows.map((r) => r.entry.action)).toEqual(["staff.create"]);
    // A prefix matches whole parts only: "car" is not "card".
    expect((await listAudit(getDb(), a.merchant.id, { page: 1, pageSize: 50, filters: { action: "car" } })).total).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listAudit(getDb(), a.merchant.id, { page: 1, pageSize: 50, filters: { from: "2000-01-01", to: "2000-01-02" } })).total).toBe(0);
    const recent = await listAudit(getDb(), a.merchant.id, {
      page: 1,
      pageSize: 50,
      filters: { from: "2000-01-01", to: `${Number(today.slice(0, 4)) + 1}-01-01` },
    });
    expect(recent.rows.every((r) => r.entry.merchantId === a.merchant.id)).toBe(true);
    expect(recent.total).toBeGreaterThanOrEqual(2);
    // B's user id as a filter finds nothing in A's log.
    expect((await listAudit(getDb(), a.merchant.id, { page: 1, pageSize: 50, filters: { user: b.owner.id } })).total).toBe(0);
  });

  it("drops bad filter values instead of failing", () => {
    expect(auditFiltersSchema.parse({ user: "nope", action: "x'; drop", from: "2026-13-45", to: "yesterday" })).toEqual({});
  });

  it("exports CSV safe from formula injection", async () => {
    const a = await createTestMerchant('=HYPERLINK("http://evil")');
    await recordAudit(getDb(), a.actor, { action: "card.block", entityType: "card", entityId: "=1+1" });
    const csv = toCsv(await auditTable(getDb(), a.merchant.id, {}));
    expect(csv.split("\r\n")[0]).toBe("time,user,email,action,entityType,entityId");
    expect(csv).toContain(`"'=1+1"`);
    expect(csv).not.toMatch(/,=1\+1/);
  });
});
