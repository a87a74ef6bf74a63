import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { outboxMessages } from "@/db/schema";
import { SUPPORT_PER_HOUR, createSupportRequest, listSupportRequests } from "@/lib/support";
import { supportRequestSchema } from "@/lib/validations/support";
import { createTestMerchant } from "../factories";

describe("support requests", () => {
  it("e-mail the platform's support address with the merchant's id and the page, and list for that merchant only", async () => {
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const { request, outboxIds } = await createSupportRequest(getDb(), a.actor, {
      subject: "Cards do not update",
      message: "Since this morning.",
      page: "/cards",
    });
    const [mail] = await getDb().select().from(outboxMessages).where(eq(outboxMessages.id, outboxIds[0]));
    expect(mail).toMatchObject({ channel: "email", merchantId: null, subject: "[CardDesk support] Cards do not update" });
    expect(mail.recipient).toMatch(/@/);
    expect(mail.body).toContain(a.merchant.id);
    expect(mail.body).toContain("Page: /cards");
    expect(mail.body).toContain("Since this morning.");
    expect((await listSupportRequests(getDb(), a.merchant.id, { page: 1, pageSize: 20 })).rows.map((r) => r.request.id)).toEqual([request.id]);
    expect((await listSupportRequests(getDb(), b.merchant.id, { page: 1, pageSize: 20 })).total).toBe(0);
  });

  it("refuse a flood from one merchant and bad input", async () => {
    const a = await createTestMerchant();
    for (let i = 0; i < SUPPORT_PER_HOUR; i++) await createSupportRequest(getDb(), a.actor, { subject: `Q${i}`, message: "m" });
    await expect(createSupportRequest(getDb(), a.actor, { subject: "one more", message: "m" })).rejects.toMatchObject({ code: "rate_limited" });
    expect(supportRequestSchema.safeParse({ subject: "", message: "x" }).success).toBe(false);
    expect(supportRequestSchema.parse({ subject: "s", message: "x", page: "https://evil.example/" }).page).toBeUndefined();
    expect(supportRequestSchema.parse({ subject: "s", message: "x", page: "//evil.example/" }).page).toBeUndefined();
  });
});
