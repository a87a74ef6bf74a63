import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { archiveNotification, closeNotification, createNotification, listNotifications } from "@/lib/notifications";
import { createTestMerchant } from "../factories";

describe("top-bar notifications", () => {
  it("moves a notification to the archive, and closing removes it from both lists", async () => {
    const db = getDb();
    const { merchant } = await createTestMerchant();
    await createNotification(db, merchant.id, { kind: "demo", level: "warning" });
    const active = await listNotifications(db, merchant.id, "active");
    expect(active.total).toBe(2);
    const [demo] = active.rows.filter((n) => n.kind === "demo");

    await archiveNotification(db, merchant.id, demo.id);
    expect((await listNotifications(db, merchant.id, "active")).rows.map((n) => n.kind)).toEqual(["welcome"]);
    expect((await listNotifications(db, merchant.id, "archived")).rows.map((n) => n.id)).toEqual([demo.id]);

    await closeNotification(db, merchant.id, demo.id);
    expect((await listNotifications(db, merchant.id, "archived")).total).toBe(0);
  });

  it("another merchant can neither see nor archive them", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const [note] = (await listNotifications(db, a.merchant.id, "active")).rows;
    expect((await listNotifications(db, b.merchant.id, "active")).rows.map((n) => n.id)).not.toContain(note.id);
    await expect(archiveNotification(db, b.merchant.id, note.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(closeNotification(db, b.merchant.id, note.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await listNotifications(db, a.merchant.id, "active")).total).toBe(1);
  });
});
