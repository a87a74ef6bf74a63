import { test, expect } from "@playwright/test";
import { appleLike } from "../../tests/fixtures/apple-cert";
import { alerts, signUpMerchant } from "../helpers";

test("an owner uploads an Apple pass certificate: a wrong password is refused, the right one is shown, then removed", async ({ page }) => {
  await signUpMerchant(page);
  await page.getByRole("link", { name: "Certificates" }).first().click();
  await expect(page).toHaveURL(/\/settings\/certificates$/);
  const status = page.getByTestId("apple-certificate-status");
  await expect(status).toContainText("Development certificate");

  const chain = appleLike();
  await page.getByLabel("Certificate (.p12)").setInputFiles({ name: "pass.p12", mimeType: "application/x-pkcs12", buffer: chain.p12("right-pass") });
  await page.getByLabel("Password of the .p12").fill("wrong-pass");
  await page.getByLabel("Apple WWDR certificate").setInputFiles({ name: "AppleWWDRCAG4.cer", mimeType: "application/pkix-cert", buffer: chain.wwdrDer });
  await page.getByRole("button", { name: "Upload certificate" }).click();
  await expect(page.getByText("The .p12 cannot be opened: check the file and its password.")).toBeVisible();
  await expect(status).toContainText("Development certificate");

  await page.getByLabel("Certificate (.p12)").setInputFiles({ name: "pass.p12", mimeType: "application/x-pkcs12", buffer: chain.p12("right-pass") });
  await page.getByLabel("Password of the .p12").fill("right-pass");
  await page.getByLabel("Apple WWDR certificate").setInputFiles({ name: "AppleWWDRCAG4.cer", mimeType: "application/pkix-cert", buffer: chain.wwdrDer });
  await page.getByRole("button", { name: "Upload certificate" }).click();
  await expect(page.getByText("Certificate saved: new passes are signed with it.")).toBeVisible();
  await expect(status).toContainText("Your certificate");
  await expect(status).toContainText("pass.com.example.coffee");
  await expect(status).toContainText("ABCDE12345");

  await status.getByRole("button", { name: "Remove certificate" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove your certificate?" });
  await dialog.getByRole("button", { name: "Remove certificate" }).click();
  await expect(status).toContainText("Development certificate");
  await expect(alerts(page)).toHaveCount(0);
});
