import { test, expect } from "@playwright/test";
import { newPerson, signUpMerchant } from "../helpers";
import { createTemplateViaUi, uniquePhone } from "../cards/helpers";
import { lastCode } from "../customers/helpers";

test("build a form with a patterned field and consent boxes, add a company, and enrol an employee through its link at 390 px", async ({ page, browser }) => {
  await signUpMerchant(page);
  const template = await createTemplateViaUi(page, `Club ${Date.now()}`);

  await page.goto("/forms");
  await page.getByRole("link", { name: "New form" }).first().click();
  await page.getByLabel("Form name").fill("Club sign-up");
  await page.getByLabel("Template of the cards it issues").selectOption({ label: template.name });
  await page.getByLabel("Title (EN)").fill("Join the club");
  await page.getByLabel("Benefits text (EN)").fill("10% off from the first purchase");
  await page.getByRole("button", { name: "Add a field" }).click();
  const city = page.getByTestId("form-field-row").nth(1);
  await city.getByLabel("Key").fill("city");
  await city.getByLabel("Label (EN)").fill("City");
  await city.getByLabel("Pattern (regular expression)").fill("[A-Za-z ]+");
  await city.getByLabel("Required").check();
  await page.getByRole("button", { name: "Add a consent box" }).click();
  const terms = page.getByTestId("form-consent-row").nth(0);
  await terms.getByLabel("Text (EN)").fill("I accept the club rules");
  await terms.getByLabel("Required").check();
  await page.getByRole("button", { name: "Add a consent box" }).click();
  const news = page.getByTestId("form-consent-row").nth(1);
  await news.getByLabel("Text (EN)").fill("Send me news by SMS");
  await news.getByLabel("Gives marketing consent (SMS news)").check();
  await page.getByRole("button", { name: "Create form" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  await expect(page.getByTestId("form-link")).toContainText("/f/");

  await page.goto("/forms");
  await page.getByRole("link", { name: "New company" }).click();
  await page.getByLabel("Company name").fill("Acme Ltd");
  await page.getByLabel("Employees who may enrol").fill("5");
  await page.getByLabel("Starting discount, %").fill("12");
  await page.getByLabel("Welcome bonus (points)").fill("100");
  await page.getByLabel("Tag").fill("acme");
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  const link = (await page.getByTestId("source-link").textContent())!;

  const employee = await newPerson(browser);
  const mobile = employee.page;
  await mobile.setViewportSize({ width: 390, height: 844 });
  await mobile.goto(new URL(link).pathname);
  await expect(mobile.getByTestId("form-title")).toHaveText("Join the club");
  await expect(mobile.getByTestId("form-company")).toHaveText("For employees of Acme Ltd");
  await expect(mobile.getByText("10% off from the first purchase")).toBeVisible();
  const phone = uniquePhone();
  await mobile.getByLabel("Phone number").fill(phone);
  await mobile.getByRole("button", { name: "Get a code" }).click();
  await expect(mobile.getByTestId("code-step")).toBeVisible();
  const code = await lastCode(mobile.request, phone);
  await mobile.getByLabel("Code from the SMS").fill(code);
  await mobile.getByLabel("Your name").fill("Eva Stone");
  await mobile.getByLabel("City").fill("42");
  await mobile.getByRole("button", { name: "Get my card" }).click();
  await expect(mobile.getByText("This does not match the expected format.")).toBeVisible();
  await expect(mobile.getByText("This agreement is required.")).toBeVisible();
  // Nothing overflows the phone's width.
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await mobile.getByLabel("City").fill("Springfield");
  await mobile.getByLabel("I accept the club rules").check();
  await mobile.getByLabel("Send me news by SMS").check();
  await mobile.getByRole("button", { name: "Get my card" }).click();
  await expect(mobile.getByText("Your card is ready: add it to your wallet below.")).toBeVisible();
  await expect(mobile.getByTestId("customer-card")).toHaveCount(1);

  // The company lists its employee's card, which carries its tag, discount and welcome bonus.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Acme Ltd" })).toBeVisible();
  await expect(page.getByTestId("enrolled-cards")).toContainText("Eva Stone");
  await page.getByTestId("enrolled-cards").getByRole("link", { name: "Eva Stone" }).click();
  await expect(page.getByTestId("card-source")).toContainText("Acme Ltd");
  await expect(page.getByTestId("card-source")).toContainText("#acme");
  await expect(page.getByTestId("card-balance")).toContainText("100");
  await employee.context.close();
});
