import { expect, test, type Page } from "@playwright/test";
import { generate } from "otplib";
import { DEFAULT_PASSWORD, alerts, lastEmail, newPerson, signIn, signOut, signUpMerchant, submitSignIn } from "../helpers";

/** The code an authenticator app would show `stepsAhead` 30-second steps from now (±1 step is accepted). */
const codeFor = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });

async function enableTwoFactor(page: Page): Promise<{ secret: string; codes: string[] }> {
  await page.goto("/settings/security");
  const panel = page.getByTestId("two-factor");
  await panel.getByLabel("Your password").fill(DEFAULT_PASSWORD);
  await panel.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByTestId("totp-qr").locator("svg")).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await panel.getByLabel("Code from the app").fill(await codeFor(secret));
  await panel.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-code")).toHaveCount(10);
  const codes = await page.getByTestId("recovery-code").allTextContents();
  await page.screenshot({ path: "test-results/staff-security-recovery-codes.png", fullPage: true });
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(panel.getByText("On", { exact: true })).toBeVisible();
  await expect(page.getByTestId("two-factor-status")).toContainText("10 recovery codes left.");
  return { secret, codes };
}

test("enable two-factor sign-in, then sign in with a code from the app and with a recovery code", async ({ page }) => {
  const merchant = await signUpMerchant(page);
  const { secret, codes } = await enableTwoFactor(page);
  await signOut(page);

  // The right password now asks for a code; a wrong one is refused.
  await submitSignIn(page, merchant.email, merchant.password);
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("This code is not right, or it has already been used.")).toBeVisible();
  // The set-up spent this step's code: the app's next one signs in.
  await page.getByLabel("Code").fill(await codeFor(secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);

  await submitSignIn(page, merchant.email, merchant.password);
  await page.getByLabel("Code").fill(codes[0].toUpperCase());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/settings\/security\?recovery=used$/);
  await expect(page.getByTestId("recovery-used")).toHaveText("You signed in with a recovery code. 9 codes are left.");
  await page.screenshot({ path: "test-results/staff-security-page.png", fullPage: true });
  await signOut(page);

  // The same recovery code does not work twice.
  await submitSignIn(page, merchant.email, merchant.password);
  await page.getByLabel("Code").fill(codes[0]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("This code is not right, or it has already been used.")).toBeVisible();
});

test("end another session: the other browser is signed out at its next step", async ({ page, browser }) => {
  const merchant = await signUpMerchant(page);
  const other = await newPerson(browser);
  try {
    await signIn(other.page, merchant.email, merchant.password);
    await page.goto("/settings/sessions");
    const rows = page.getByTestId("session-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "This device" })).toHaveCount(1);
    await expect(page.getByTestId("sign-in-history")).toContainText("Signed in");
    await page.screenshot({ path: "test-results/staff-security-sessions.png", fullPage: true });
    const otherRow = rows.filter({ hasNotText: "This device" });
    await otherRow.getByRole("button", { name: "End session" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "End session" }).click();
    await expect(rows).toHaveCount(1);

    await other.page.goto("/cards");
    await expect(other.page).toHaveURL(/\/sign-in\?next=%2Fcards$/);
    // This browser carries on.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);
  } finally {
    await other.context.close();
  }
});

test("forgot password: the e-mailed link sets a new password once and signs every browser out", async ({ page, browser }) => {
  const merchant = await signUpMerchant(page);
  const other = await newPerson(browser);
  try {
    await other.page.goto("/sign-in");
    await other.page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(other.page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
    await other.page.getByLabel("E-mail").fill(merchant.email);
    await other.page.getByRole("button", { name: "Send the link" }).click();
    await expect(other.page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
    const link = (await lastEmail(other.page, merchant.email, /reset-password\?token=/)).match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)?.[0];
    expect(link, "reset link").toBeTruthy();
    const path = new URL(link!).pathname + new URL(link!).search;
    await other.page.goto(path);
    await other.page.getByLabel("New password", { exact: true }).fill("Brand-new-pass-42");
    await other.page.getByLabel("Repeat the new password").fill("Brand-new-pass-42");
    await other.page.getByRole("button", { name: "Set the password" }).click();
    await expect(other.page.getByText("Your password has been changed. Sign in with it.")).toBeVisible();
    // Used once: the link is dead now.
    await other.page.goto(path);
    await expect(alerts(other.page)).toContainText("not valid, has expired or has already been used");
    // The first browser was signed out; the new password works.
    await page.goto("/cards");
    await expect(page).toHaveURL(/\/sign-in/);
    await signIn(page, merchant.email, "Brand-new-pass-42");
  } finally {
    await other.context.close();
  }
});
