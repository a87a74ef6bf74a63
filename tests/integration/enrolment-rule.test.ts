import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { getMerchantOrThrow } from "@/lib/merchants";
import { isEnrolmentOpen, setEnrolment } from "@/lib/merchants/enrolment";
import { createTemplate, getTemplateOrThrow, setTemplateArchived } from "@/lib/templates";
import { createTestMerchant } from "../factories";

describe("'enrolment is open' stays true to what enrolment can do", () => {
  it("refuses to archive the template customers enrol into while enrolment is on, and allows it once off", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const template = await createTemplate(db, m.actor, { name: "Club", kind: "loyalty" });
    await setEnrolment(db, m.actor, { enabled: true, templateId: template.id });

    await expect(setTemplateArchived(db, m.actor, template.id, true)).rejects.toMatchObject({
      code: "conflict",
      message: "templates.errors.enrolmentTemplate",
    });
    expect((await getTemplateOrThrow(db, m.merchant.id, template.id)).template.archivedAt).toBeNull();
    // Still open, and the template it names can still issue.
    expect(isEnrolmentOpen(await getMerchantOrThrow(db, m.merchant.id))).toBe(true);

    await setEnrolment(db, m.actor, { enabled: false, templateId: template.id });
    await expect(setTemplateArchived(db, m.actor, template.id, true)).resolves.toMatchObject({ archivedAt: expect.any(Date) });
    // And an archived template cannot be made the enrolment template.
    await expect(setEnrolment(db, m.actor, { enabled: true, templateId: template.id })).rejects.toMatchObject({ message: "cards.errors.templateArchived" });
  });

  it("archives any other template freely", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const club = await createTemplate(db, m.actor, { name: "Club", kind: "loyalty" });
    const other = await createTemplate(db, m.actor, { name: "Other", kind: "loyalty" });
    await setEnrolment(db, m.actor, { enabled: true, templateId: club.id });
    await expect(setTemplateArchived(db, m.actor, other.id, true)).resolves.toMatchObject({ id: other.id });
  });
});
