import { test, expect } from "@playwright/test";
import { signUpMerchant } from "../helpers";
import { uniquePhone } from "../cards/helpers";
import { lastSms } from "../customers/helpers";

test("coupons: a coupon definition, generated codes, one coupon issued with its SMS, redeemed once on the cashier screen, refused the second time", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUpMerchant(page);

  await page.goto("/gift-certificates");
  await page.getByRole("link", { name: "New coupon" }).click();
  await expect(page.getByLabel("Value")).toHaveValue("coupon");
  await page.getByLabel("Name").fill("Free coffee");
  await page.getByLabel("What the coupon gives (English)").fill("One free coffee");
  await page.getByLabel("How to present it (English)").fill("Name the code at the till.");
  await page.getByLabel("Terms (English)").fill("One per visit.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/gift-certificates\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Coupon (one use)").first()).toBeVisible();

  const generate = page.getByTestId("generate-codes");
  await generate.getByLabel("How many").fill("5");
  await generate.getByRole("button").click();
  await expect(page.getByText("5 codes generated.")).toBeVisible();

  const phone = uniquePhone();
  await expect(page.getByRole("heading", { name: "Issue a coupon" })).toBeVisible();
  const issue = page.getByTestId("issue-certificate");
  await issue.getByLabel("Recipient's phone").fill(phone);
  await issue.getByRole("button", { name: "Issue" }).click();
  const done = issue.getByText(/^Issued coupon \w+; the SMS/);
  await expect(done).toBeVisible();
  const code = /coupon (\w+);/.exec(await done.innerText())![1];
  expect(await lastSms(page.request, phone, "card")).toContain("One free coffee");

  const find = async () => {
    await page.goto("/till");
    const scan = page.getByTestId("till-scan");
    await expect(scan).toBeFocused();
    await scan.pressSequentially(code, { delay: 5 });
    await scan.press("Enter");
    await expect(page.getByTestId("till-whole")).toHaveText("The coupon is used once, whole.");
  };
  await find();
  await expect(page.getByTestId("till-balance")).toHaveText("1");
  await page.getByTestId("till-submit").click();
  await expect(page.getByTestId("till-done")).toHaveText("Redeemed: nothing is left on it.");
  await expect(page.getByTestId("till-balance")).toHaveText("0");

  await find();
  await page.getByTestId("till-submit").click();
  await expect(page.getByTestId("till-op-error")).toHaveText("This coupon was already used.");
  await page.screenshot({ path: "test-results/coupon-till.png", fullPage: true });
});
