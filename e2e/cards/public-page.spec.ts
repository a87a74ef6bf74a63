import { test, expect, type Page } from "@playwright/test";
import { signUpMerchant } from "../helpers";
import { createTemplateViaUi, issueCardViaUi } from "./helpers";

const tab = (page: Page, name: string) => page.getByRole("tab", { name, exact: true });

/** A stamp card template whose barcode is EAN-13 and whose goal is 8 stamps. */
async function ean13StampTemplate(page: Page) {
  const template = await createTemplateViaUi(page, undefined, "Stamp card");
  await tab(page, "Barcode").click();
  await page.getByLabel("Barcode format", { exact: true }).selectOption({ label: "EAN-13" });
  // The live preview draws the chosen format at once.
  await expect(page.getByTestId("preview-apple-front").getByTestId("barcode")).toHaveAttribute("data-format", "ean13");
  // The stamp programme (goal, what earns a stamp) is on the Loyalty tab.
  await tab(page, "Loyalty").click();
  await page.getByLabel("Stamps to the reward").fill("8");
  await expect(page.getByTestId("preview-apple-front").getByTestId("stamp-row")).toHaveAttribute("data-goal", "8");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved as version 2.", { exact: true })).toBeVisible();
  return template;
}

test("the public card page shows one till code in the template's format, the stamps as a row, and the wallet buttons in the page's language", async ({
  page,
}) => {
  await signUpMerchant(page);
  const template = await ean13StampTemplate(page);
  const { id } = await issueCardViaUi(page, { template: template.name, name: "Stamp Person", balance: "3" });
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Card ", "");
  expect(number).toMatch(/^\d{13}$/);
  const publicHref = (await page.getByTestId("public-link").getAttribute("href"))!;
  expect(id).toBeTruthy();

  await page.goto(publicHref);
  // One code on the page, the one for the till, in the template's real format and carrying the card's number.
  const codes = page.getByTestId("barcode");
  await expect(codes).toHaveCount(1);
  await expect(page.getByTestId("till-code").getByTestId("barcode")).toHaveAttribute("data-format", "ean13");
  await expect(codes).toHaveAttribute("data-value", number);
  await expect(codes.locator("svg")).toBeVisible();
  // It is drawn big enough for a scanner to read off a phone: at least ~2 CSS px per module (~125 modules).
  const box = (await codes.boundingBox())!;
  expect(box.width).toBeGreaterThanOrEqual(250);
  // No designer controls on a customer's page.
  await expect(page.getByRole("group", { name: "Side" })).toHaveCount(0);
  await expect(page.getByRole("group", { name: "Language" })).toHaveCount(0);
  // Stamps as a row up to the goal, not a number.
  const stamps = page.getByTestId("card-face").getByTestId("stamp-row");
  await expect(stamps).toHaveAttribute("data-count", "3");
  await expect(stamps.locator('[data-filled="true"]')).toHaveCount(3);
  await expect(stamps.locator('[data-filled="false"]')).toHaveCount(5);
  await expect(page.getByTestId("card-face")).toContainText("Stamp Person");
  await expect(page.getByTestId("add-apple")).toHaveText("Add to Apple Wallet");
  await expect(page.getByTestId("add-google")).toHaveText("Add to Google Wallet");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath("public-card-390.png"), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: test.info().outputPath("public-card-1366.png"), fullPage: true });

  // The page follows the visitor's language: the card's labels and the wallet buttons too.
  await page.getByRole("button", { name: "ru", exact: true }).click();
  await expect(page.getByTestId("add-apple")).toHaveText("Добавить в Apple Wallet");
  await expect(page.getByTestId("add-google")).toHaveText("Добавить в Google Wallet");
  await expect(page.getByTestId("card-face")).toContainText("Штампы");
  await expect(page.getByTestId("card-face")).toContainText("Владелец");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath("public-card-390-ru.png"), fullPage: true });
});

test("in a Russian interface the previews start in Russian and draw stamps as a row", async ({ page }) => {
  await signUpMerchant(page);
  await page.getByRole("button", { name: "ru", exact: true }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await createTemplateViaUiRu(page);
  const language = page.getByRole("group", { name: "Язык" });
  await expect(language.getByRole("button", { name: /^ru$/i })).toHaveAttribute("aria-pressed", "true");
  const front = page.getByTestId("preview-apple-front");
  for (const label of ["Карта", "Штампы", "Владелец"]) await expect(front).toContainText(label);
  await expect(front).not.toContainText("Stamps");
  await expect(front).not.toContainText("1 250");
  await expect(front.getByTestId("stamp-row")).toHaveAttribute("data-goal", "10");
  await expect(front.getByTestId("barcode")).toHaveAttribute("data-format", "qr");
  await page.getByRole("complementary", { name: "Предпросмотр" }).screenshot({ path: test.info().outputPath("preview-ru.png") });
  // The designer can still look at the other language.
  await language.getByRole("button", { name: /^en$/i }).click();
  await expect(front).toContainText("Stamps");
});

async function createTemplateViaUiRu(page: Page) {
  await page.goto("/templates/new");
  await page.getByLabel("Название шаблона").fill(`Штампы ${Date.now()}`);
  await page.getByRole("group", { name: "Тип карты" }).getByText("Карта со штампами", { exact: true }).click();
  await page.getByRole("button", { name: "Создать шаблон" }).click();
  await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
}
