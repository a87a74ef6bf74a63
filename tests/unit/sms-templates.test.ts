import { describe, expect, it } from "vitest";
import { renderTemplate, smsTemplate, spendCodeTemplate } from "@/lib/messaging/templates";

describe("SMS templates", () => {
  it("a code template that names the amount spent leaves that sentence out of a sign-in code, never printing {amount}", () => {
    const own = "{code} — ваш код {merchant}. Списание: {amount}.";
    expect(smsTemplate("code", own, "ru")).toBe("{code} — ваш код {merchant}.");
    expect(renderTemplate(smsTemplate("code", own, "ru"), { code: "123456", merchant: "Кофейня" })).toBe("123456 — ваш код Кофейня.");
    // The till's spending code keeps it.
    expect(spendCodeTemplate(own, "ru")).toBe(own);
  });

  it("falls back to the default when only the amount's sentence held the code", () => {
    expect(smsTemplate("code", "Списание {amount}: код {code}.", "en")).toBe("{code} is your {merchant} sign-in code. Do not share it.");
    expect(smsTemplate("code", "  ", "ru")).toContain("{code}");
    expect(smsTemplate("code", "Код {code}", "ru")).toBe("Код {code}");
  });
});
