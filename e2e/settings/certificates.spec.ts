import { test, expect } from "@playwright/test";
import { appleLike } from "../../tests/fixtures/apple-cert";
import { signUpMerchant } from "../helpers";

// A certificate that really chains to Apple's root cannot be made in a test, so the browser walk covers
// the refusals; saving, signing and removing are covered by tests/integration/certificates.test.ts, which
// trusts a test root through the parser's parameter (there is no setting that would let a merchant do so).
test('an owner uploading a certificate: a wrong password is refused, and so is a chain to a self-made "WWDR"', async ({ page }) => {
  await signUpMerchant(page);
  // "Gift certificates" is a link too: the Apple signing certificates are the one named exactly so.
  await page.getByRole("link", { name: "Certificates", exact: true }).first().click();
  await expect(page).toHaveURL(/\/settings\/certificates$/);
  const status = page.getByTestId("apple-certificate-status");
  await expect(status).toContainText("Development certificate");

  const chain = appleLike();
  await page.getByLabel("Certificate (.p12)").setInputFiles({ name: "pass.p12", mimeType: "application/x-pkcs12", buffer: chain.p12("right-pass") });
  await page.getByLabel("Password of the .p12").fill("wrong-pass");
  await page.getByRole("button", { name: "Upload certificate" }).click();
  await expect(page.getByText("The .p12 cannot be opened: check the file and its password.")).toBeVisible();
  await expect(status).toContainText("Development certificate");

  await page.getByLabel("Certificate (.p12)").setInputFiles({ name: "pass.p12", mimeType: "application/x-pkcs12", buffer: chain.p12("right-pass") });
  await page.getByLabel("Password of the .p12").fill("right-pass");
  await page
    .getByLabel("Apple WWDR certificate (optional)")
    .setInputFiles({ name: "AppleWWDRCAG4.cer", mimeType: "application/pkix-cert", buffer: chain.wwdrDer });
  await page.getByRole("button", { name: "Upload certificate" }).click();
  await expect(page.getByText("This certificate was not issued by Apple", { exact: false })).toBeVisible();
  await expect(status).toContainText("Development certificate");
});
