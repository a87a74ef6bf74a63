import { expect, test } from "@playwright/test";
import { signUpMerchant } from "../helpers";

test("finance lists an SMS send with its document number, totals it per month and filters", async ({ page }) => {
  await signUpMerchant(page);
  // A test SMS through the console provider (SMS service settings), as a merchant would send one.
  await page.goto("/settings/sms");
  const digits = String(Date.now() * 100 + Math.floor(Math.random() * 100)).slice(-7);
  await page.getByLabel("Phone number").fill(`+7 916 ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`);
  await page.getByRole("button", { name: "Send test SMS" }).click();
  await expect(page.getByTestId("provider-answer").filter({ hasText: "Sent by" })).toContainText("Sent by the console.");

  await page.getByRole("complementary").getByRole("link", { name: "Finance" }).click();
  await expect(page).toHaveURL(/\/finance$/);
  await page.getByLabel("Operation").selectOption({ label: "SMS sent" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/type=sms/);
  const list = page.getByTestId("finance-list");
  await expect(list.getByRole("row")).toHaveCount(2);
  await expect(list).toContainText("SMS sent");
  await expect(list).toContainText(/console-[0-9a-f-]{36}/);
  await expect(list).toContainText("Sent");
  // (The month is the merchant's own: Moscow time by default.)
  await expect(page.getByTestId("finance-months")).toContainText(/20\d\d-\d\d/);
  await page.screenshot({ path: "test-results/staff-security-finance.png", fullPage: true });
  // The e-mail filter shows the welcome e-mail and not the SMS.
  await page.getByLabel("Operation").selectOption({ label: "E-mail sent" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByTestId("finance-list")).not.toContainText("SMS sent");
});
