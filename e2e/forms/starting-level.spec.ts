import { test, expect } from "@playwright/test";
import { newPerson, signUpMerchant } from "../helpers";
import { createTemplateViaUi, uniquePhone } from "../cards/helpers";
import { lastCode } from "../customers/helpers";

// Issue 17: a company's starting level — offered where the form's template has levels, exclusive with
// a starting discount, and the card enrolled through its link starts at that level.
test("a company's starting level: chosen from the template's levels, never with a discount, and the employee's card starts there", async ({
  page,
  browser,
}) => {
  await signUpMerchant(page);
  const template = await createTemplateViaUi(page, `Levels ${Date.now()}`);
  await page.getByRole("tab", { name: "Loyalty", exact: true }).click();
  await page
    .getByTestId("loyalty-tab")
    .getByRole("radio", { name: /Cumulative discount/ })
    .check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved as version 2.", { exact: true })).toBeVisible();

  await page.goto("/forms");
  await page.getByRole("link", { name: "New form" }).first().click();
  await page.getByLabel("Form name").fill("Staff club");
  await page.getByLabel("Template of the cards it issues").selectOption({ label: template.name });
  await page.getByLabel("Title (EN)").fill("Join the staff club");
  await page.getByRole("button", { name: "Create form" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");

  await page.goto("/forms");
  await page.getByRole("link", { name: "New company" }).click();
  await page.getByLabel("Company name").fill("Initech");
  const level = page.getByLabel("Starting level");
  await expect(level.locator("option")).toHaveText(["None: cards start at the first level", /^Silver \(5 %, from/, /^Gold \(10 %, from/]);
  // Both a discount and a level: told on both fields, nothing saved.
  await page.getByLabel("Starting discount, %").fill("12");
  await level.selectOption({ index: 1 });
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page.getByText("Give a starting discount or a starting level, not both: clear one of them.")).toHaveCount(2);
  await page.getByLabel("Starting discount, %").fill("");
  await page.getByLabel("Starting level").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  await expect(page.getByLabel("Starting level")).toHaveValue("1000000");
  const link = (await page.getByTestId("source-link").textContent())!;

  const employee = await newPerson(browser);
  const mobile = employee.page;
  await mobile.setViewportSize({ width: 390, height: 844 });
  await mobile.goto(new URL(link).pathname);
  const phone = uniquePhone();
  await mobile.getByLabel("Phone number").fill(phone);
  await mobile.getByRole("button", { name: "Get a code" }).click();
  await expect(mobile.getByTestId("code-step")).toBeVisible();
  await mobile.getByLabel("Code from the SMS").fill(await lastCode(mobile.request, phone));
  await mobile.getByLabel("Your name").fill("Milton Waddams");
  await mobile.getByRole("button", { name: "Get my card" }).click();
  await expect(mobile.getByText("Your card is ready: add it to your wallet below.")).toBeVisible();
  await employee.context.close();

  await page.reload();
  await page.getByTestId("enrolled-cards").getByRole("link", { name: "Milton Waddams" }).click();
  const points = page.getByTestId("points-level");
  await expect(points).toContainText("Silver: 5 % discount");
  await expect(points).toContainText("never below the level from");
});
