import { test, expect, type Page } from "@playwright/test";
import { alerts, signUpMerchant } from "../helpers";

/** A Russian mobile number no other test uses, typed the way people type it. */
function uniquePhone(): { typed: string; e164: string } {
  const digits = String(Date.now() * 100 + Math.floor(Math.random() * 100)).slice(-7);
  return { typed: `+7 916 ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`, e164: `+7916${digits}` };
}

async function openSmsSettings(page: Page) {
  await page.getByRole("complementary").getByRole("link", { name: "SMS service" }).click();
  await expect(page).toHaveURL(/\/settings\/sms$/);
  await expect(page.getByRole("heading", { name: "SMS service", level: 1 })).toBeVisible();
}

test.describe("SMS and e-mail settings, and Messages", () => {
  test("message texts are saved; a code text without {code} is refused", async ({ page }) => {
    await signUpMerchant(page);
    await openSmsSettings(page);
    await expect(page.getByLabel("Provider")).toHaveValue("console");
    await expect(page.getByText("Messages are not sent: they are written to the server log")).toBeVisible();
    const placeholders = page.getByTestId("sms-placeholders");
    await expect(placeholders).toContainText("{code}");
    await expect(placeholders).toContainText("{link}");
    await expect(placeholders).toContainText("{merchant}");

    const codeText = page.getByLabel("Code message");
    const linkText = page.getByLabel("Card message");
    await codeText.fill("Your code for {merchant}");
    await linkText.fill("{merchant}: your card {link}");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(alerts(page)).toHaveText("Please correct the highlighted fields.");
    await expect(page.getByText("The code message must contain {code}: that is where the code goes.")).toBeVisible();
    await expect(codeText).toHaveAttribute("aria-invalid", "true");
    // What was typed is still there to correct.
    await expect(codeText).toHaveValue("Your code for {merchant}");

    await codeText.fill("{code} is your {merchant} code");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Changes saved." })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Code message")).toHaveValue("{code} is your {merchant} code");
    await expect(page.getByLabel("Card message")).toHaveValue("{merchant}: your card {link}");

    // A real provider asks for its key; a typed key is never shown back after saving.
    await page.getByLabel("Provider").selectOption("smsru");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Enter the sms.ru API key.")).toBeVisible();
    await page.getByLabel("API key (api_id)").fill("E2E-API-ID-0000-9F3C");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Changes saved." })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Provider")).toHaveValue("smsru");
    await expect(page.getByText("Saved, ends in …9F3C.")).toBeVisible();
    await expect(page.getByLabel("API key (api_id)")).toHaveValue("");
    expect(await page.content()).not.toContain("E2E-API-ID-0000");
  });

  test("a test SMS through the console shows its id and is listed under Messages, which filters", async ({ page }) => {
    const merchant = await signUpMerchant(page);
    await openSmsSettings(page);
    const phone = uniquePhone();

    await page.getByRole("button", { name: "Check balance" }).click();
    await expect(page.getByTestId("provider-answer")).toHaveText("The console has no balance to check: nothing is really sent.");

    await page.getByLabel("Phone number").fill("12");
    await page.getByRole("button", { name: "Send test SMS" }).click();
    await expect(page.getByText("Enter a phone number, e.g. +7 495 123-45-67.")).toBeVisible();
    await page.getByLabel("Phone number").fill(phone.typed);
    await page.getByRole("button", { name: "Send test SMS" }).click();
    const answer = page.getByTestId("provider-answer").filter({ hasText: "Sent by" });
    await expect(answer).toContainText("Sent by the console.");
    await expect(answer).toContainText(/Message id: console-[0-9a-f-]{36}/);

    await answer.getByRole("link", { name: "Open Messages" }).click();
    await expect(page).toHaveURL(/\/messages$/);
    await expect(page.getByRole("heading", { name: "Messages", level: 1 })).toBeVisible();
    const rows = page.getByTestId("message-row");
    const testSms = rows.filter({ hasText: phone.e164 });
    await expect(testSms).toHaveCount(1);
    await expect(testSms).toContainText("SMS");
    await expect(testSms).toContainText("Test");
    await expect(testSms).toContainText("Console");
    await expect(testSms.getByTestId("message-status")).toHaveAttribute("data-status", "sent");
    await expect(testSms.getByTestId("message-preview")).toContainText("a test message from CardDesk");
    // The owner's welcome e-mail is in the outbox too.
    await expect(rows.filter({ hasText: merchant.email })).toHaveCount(1);

    // Filters are applied by the server and kept in the address.
    await page.getByLabel("Channel").selectOption("sms");
    await page.getByRole("button", { name: "Find" }).click();
    await expect(page).toHaveURL(/channel=sms/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(phone.e164);

    await page.getByLabel("Channel").selectOption("");
    await page.getByLabel("Kind").selectOption("staff");
    await page.getByRole("button", { name: "Find" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(merchant.email);

    await page.getByLabel("Kind").selectOption("code");
    await page.getByRole("button", { name: "Find" }).click();
    await expect(page.getByText("No messages match")).toBeVisible();
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/messages$/);

    // A recipient typed in national form finds the E.164 number.
    await page.getByLabel("Search by recipient").fill(`8 ${phone.typed.slice(3)}`);
    await page.getByRole("button", { name: "Find" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(phone.e164);

    // On a phone: the list becomes cards and nothing scrolls sideways, here or in the settings.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByTestId("message-item").filter({ hasText: phone.e164 })).toBeVisible();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    await page.goto("/settings/sms");
    await expect(page.getByRole("button", { name: "Send test SMS" })).toBeVisible();
    expect(await overflow()).toBe(0);
  });

  test("e-mail service: Resend asks for its key and a from address; a console test e-mail is listed", async ({ page }) => {
    await signUpMerchant(page);
    await page.getByRole("complementary").getByRole("link", { name: "E-mail service" }).click();
    await expect(page.getByRole("heading", { name: "E-mail service", level: 1 })).toBeVisible();
    await page.getByLabel("Provider").selectOption("resend");
    await page.getByLabel("Resend API key").fill("sk_not_resend");
    await page.getByLabel("From address").fill("not an address");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("A Resend API key starts with re_.")).toBeVisible();
    await expect(page.getByText("Enter an address like cards@shop.example or Shop <cards@shop.example>.")).toBeVisible();

    await page.getByLabel("Provider").selectOption("console");
    await page.getByLabel("From address").fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Changes saved." })).toBeVisible();
    await page.getByLabel("E-mail address").fill("e2e-test@example.com");
    await page.getByRole("button", { name: "Send test e-mail" }).click();
    await expect(page.getByTestId("provider-answer")).toContainText("Sent by the console.");
    await page.goto("/messages?channel=email&kind=test");
    await expect(page.getByTestId("message-row").filter({ hasText: "e2e-test@example.com" })).toHaveCount(1);
  });
});
