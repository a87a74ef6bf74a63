import { expect, test } from "@playwright/test";
import { lastCode } from "../customers/helpers";
import { signIn, signOut, signUpMerchant } from "../helpers";

test("a staff member verifies a phone, then resets a forgotten password by an SMS code, once", async ({ page }) => {
  const merchant = await signUpMerchant(page);
  const phone = `+7916${String(Date.now() * 100 + Math.floor(Math.random() * 100)).slice(-7)}`;

  await page.goto("/settings/security");
  const panel = page.getByTestId("phone-panel");
  await panel.getByLabel("Mobile phone").fill(phone);
  await panel.getByRole("button", { name: "Send a code" }).click();
  await expect(panel).toContainText("We sent a code to");
  const verifyCode = await lastCode(page.request, phone);
  await panel.getByLabel("Code").fill(verifyCode);
  await panel.getByRole("button", { name: "Confirm the phone" }).click();
  await expect(panel).toContainText(`Verified phone: ${phone}`);
  await signOut(page);

  // An unknown address gets the same screen as a real one.
  await page.goto("/forgot-password");
  await page.getByLabel("E-mail").fill(`nobody-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Send a code by SMS instead" }).click();
  await expect(page.getByRole("heading", { name: "Enter the code from the SMS" })).toBeVisible();

  await page.goto("/forgot-password");
  await page.getByLabel("E-mail").fill(merchant.email);
  await page.getByRole("button", { name: "Send a code by SMS instead" }).click();
  await expect(page.getByRole("heading", { name: "Enter the code from the SMS" })).toBeVisible();
  const code = await lastCode(page.request, phone, verifyCode);
  await page.getByLabel("Code from the SMS").fill(code);
  await page.getByLabel("New password", { exact: true }).fill("Brand-new-pass-2026");
  await page.getByLabel("Repeat the new password").fill("Brand-new-pass-2026");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password has been changed");
  await page.screenshot({ path: "test-results/staff-security-sms-recovery.png", fullPage: true });

  // The code works once.
  await page.goto("/forgot-password");
  await page.getByLabel("E-mail").fill(merchant.email);
  await page.getByRole("button", { name: "Send a code by SMS instead" }).click();
  await page.getByLabel("Code from the SMS").fill(code);
  await page.getByLabel("New password", { exact: true }).fill("Another-pass-2026");
  await page.getByLabel("Repeat the new password").fill("Another-pass-2026");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByRole("alert").first()).toContainText("The code is wrong, has expired or has already been used");

  await signIn(page, merchant.email, "Brand-new-pass-2026");
});
