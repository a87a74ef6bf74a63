import JSZip from "jszip";
import { test, expect, type APIRequestContext } from "@playwright/test";
import { newPerson, signUpMerchant } from "../helpers";
import { uniquePhone } from "../cards/helpers";
import { lastCode, lastSms } from "../customers/helpers";

/** The certificate's Apple pass as its link serves it: the balance field's value. */
async function passBalance(request: APIRequestContext, pagePath: string): Promise<unknown> {
  const response = await request.get(`${pagePath}/pass`);
  expect(response.headers()["content-type"]).toBe("application/vnd.apple.pkpass");
  const pass = JSON.parse(await (await JSZip.loadAsync(await response.body())).file("pass.json")!.async("string"));
  const fields = [...(pass.storeCard?.primaryFields ?? []), ...(pass.storeCard?.secondaryFields ?? [])] as { key: string; value: unknown }[];
  return fields.find((f) => f.key === "balance")?.value;
}

test("gift certificates: a definition, its codes and a phone list; the recipient's SMS, /my and pass; half redeemed; the new balance on /my and in the pass", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await signUpMerchant(page);

  // The definition, through the cabinet's form.
  await page.goto("/gift-certificates");
  await page.getByRole("link", { name: "New certificate" }).first().click();
  await page.getByLabel("Name").fill("Gift 1000");
  await page.getByLabel("Nominal").fill("1000");
  await page.getByLabel("Days after issue").last().fill("365");
  await page.getByLabel("How to present it (English)").fill("Show the code at the till.");
  await page.getByLabel("Terms (English)").fill("Valid for **one year**.\n\n- in parts\n- not for cash");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/gift-certificates\/[0-9a-f-]{36}$/);
  const definitionUrl = page.url();

  // Codes from the merchant's own till system, one of them twice: refused per line, then the good lines.
  const codes = { name: "codes.csv", mimeType: "text/csv", buffer: Buffer.from(`code\nE2E${Date.now()}A\nE2E${Date.now()}B\nE2E${Date.now()}A\n`) };
  await page.getByLabel("Upload codes (CSV)").setInputFiles(codes);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Nothing was imported: 1 lines have problems.")).toBeVisible();
  await expect(page.getByText(/Line 4: .* — Repeats line 2/)).toBeVisible();
  await page.getByLabel("Import the good lines anyway").check();
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("2 codes imported.")).toBeVisible();
  await expect(page.getByTestId("pool-free")).toHaveText("2");

  // A phone list: checked on the card import's page, then issued with an SMS each.
  const phone = uniquePhone();
  await page
    .getByLabel("Send to a phone list")
    .setInputFiles({ name: "phones.csv", mimeType: "text/csv", buffer: Buffer.from(`phone;name;message\n${phone};Anna;Happy birthday!\n`) });
  await page.getByRole("button", { name: "Check the file", exact: true }).click();
  await expect(page).toHaveURL(/\/cards\/import\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("import-valid")).toHaveText("1");
  await page.getByRole("button", { name: /^Issue/ }).click();
  await expect(page.getByTestId("import-done")).toBeVisible();

  const sms = await lastSms(page.request, phone, "card");
  expect(sms).toContain("1");
  const link = new URL(sms.match(/https?:\/\/\S+\/c\/[\w-]+/)![0]).pathname;

  // The recipient signs in at /my on a phone and sees the certificate; the pass downloads.
  const customer = await newPerson(browser);
  const mobile = customer.page;
  await mobile.setViewportSize({ width: 390, height: 844 });
  await mobile.goto("/my");
  await mobile.getByLabel("Phone number").fill(phone);
  await mobile.getByRole("button", { name: "Get a code" }).click();
  await mobile.getByLabel("Code from the SMS").fill(await lastCode(mobile.request, phone));
  await mobile.getByRole("button", { name: "Sign in" }).click();
  const certificate = mobile.getByTestId("customer-certificate");
  await expect(certificate).toBeVisible();
  await expect(certificate.getByTestId("certificate-balance")).toContainText("1,000");
  await expect(certificate.getByTestId("till-code")).toBeVisible();
  await expect(certificate.getByText("Happy birthday!")).toBeVisible();
  await expect(certificate.getByTestId("add-apple")).toBeVisible();
  await mobile.screenshot({ path: "test-results/gift-certificate-my.png", fullPage: true });
  expect(String(await passBalance(mobile.request, link))).toMatch(/1,?000/);

  // Half redeemed on the cashier screen: found by its code (typed as a scanner would), the sum in money.
  const code = (await certificate.getAttribute("data-code"))!;
  await page.goto("/till");
  const scan = page.getByTestId("till-scan");
  await expect(scan).toBeFocused();
  await scan.pressSequentially(code.toLowerCase(), { delay: 5 });
  await scan.press("Enter");
  await expect(page.getByTestId("till-balance")).toContainText("1,000");
  await expect(page.getByRole("tab", { name: "Purchase" })).toHaveCount(0);
  await expect(page.getByTestId("till-points")).toBeFocused();
  await page.getByTestId("till-points").fill("500");
  await page.getByTestId("till-submit").click();
  await expect(page.getByTestId("till-done")).toContainText("Left on the certificate");
  await expect(page.getByTestId("till-balance")).toContainText("500");
  await expect(page.getByTestId("till-recent-row").first()).toContainText(code);
  await page.screenshot({ path: "test-results/gift-certificate-till.png", fullPage: true });

  // The cabinet's certificate page: opened by the recipient, the till's redemption in its ledger.
  await page.goto(definitionUrl);
  await expect(page.getByTestId("pool-issued")).toHaveText("1");
  await page.getByTestId("certificates").getByRole("link").first().click();
  await expect(page.getByText("Opened by the recipient")).toBeVisible();
  await expect(page.getByTestId("certificate-balance")).toContainText("500");
  await expect(page.getByTestId("certificate-ledger")).toContainText("500");
  await page.screenshot({ path: "test-results/gift-certificate-page.png", fullPage: true });

  await mobile.reload();
  await expect(mobile.getByTestId("customer-certificate").getByTestId("certificate-balance")).toContainText("500");
  expect(String(await passBalance(mobile.request, link))).toMatch(/500/);
  await customer.context.close();
});
