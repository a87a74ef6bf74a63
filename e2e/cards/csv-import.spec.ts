import { test, expect } from "@playwright/test";
import { signUpMerchant } from "../helpers";
import { createTemplateViaUi } from "./helpers";

test("import cards from a CSV with broken lines: per-line errors first, then issued with progress, and a second run issues nothing twice", async ({ page }) => {
  await signUpMerchant(page);
  await createTemplateViaUi(page, "Import card");
  const stamp = Date.now() % 100_000;
  const phone = (n: number) => `+79161${String(stamp).padStart(5, "0")}${n}`;
  const csv = [`телефон;имя;баланс`, `${phone(1)};Ivan;10`, `${phone(2)};Olga;abc`, `12345;Bad;1`, `${phone(1)};Dup;3`, `"${phone(4)}";"Petr; Jr.";`].join(
    "\r\n",
  );
  const file = { name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(`\ufeff${csv}`) };

  await page.goto("/cards/import");
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByText("Choose a file to upload.")).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page).toHaveURL(/\/cards\/import\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("import-total")).toHaveText("5");
  await expect(page.getByTestId("import-valid")).toHaveText("2");
  await expect(page.getByTestId("import-errors")).toHaveText("3");
  const errors = page.getByTestId("import-error-table");
  await expect(errors.getByRole("row", { name: /^3 баланс/ })).toContainText("whole number");
  await expect(errors.getByRole("row", { name: /^4 телефон/ })).toContainText("valid phone number");
  await expect(errors.getByRole("row", { name: /^5 телефон/ })).toContainText("already on line 2");
  // Every valid row is listed too, not only the errors.
  const valid = page.getByTestId("import-row-table");
  await expect(valid.getByTestId("import-row")).toHaveCount(2);
  await expect(valid.getByRole("row", { name: /^2 / })).toContainText("Will be issued");
  await expect(valid.getByRole("row", { name: /^6 / })).toContainText("Petr; Jr.");

  await page.getByRole("button", { name: "Issue 2 cards" }).click();
  await expect(page.getByRole("progressbar")).toBeVisible();
  await expect(page.getByTestId("import-done")).toContainText("Done: 2 issued, 0 skipped.");
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");

  await page.getByRole("link", { name: "See the cards" }).click();
  await expect(page.getByTestId("card-row")).toHaveCount(2);
  await expect(page.getByRole("table").getByText("Petr; Jr.")).toBeVisible();

  // The same file again: the check already knows both phones hold a card of this template and says so.
  await page.goto("/cards/import");
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByTestId("import-issued")).toHaveText("0");
  await expect(page.getByTestId("import-preview-note")).toContainText("nothing to issue");
  await expect(page.getByRole("button", { name: /^Issue/ })).toHaveCount(0);
  await expect(page.getByTestId("import-row-table").getByText("Skipped: already has a card")).toHaveCount(2);

  // One new phone beside them: the button promises exactly what the run then does.
  await page.goto("/cards/import");
  const more = `телефон;имя\r\n${phone(1)};Ivan\r\n${phone(7)};Nina\r\n${phone(4)};Petr\r\n`;
  await page.getByLabel("CSV file").setInputFiles({ ...file, buffer: Buffer.from(more) });
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByTestId("import-issued")).toHaveText("1");
  await page.getByRole("button", { name: "Issue 1 card, skip 2 (already have a card)" }).click();
  await expect(page.getByTestId("import-done")).toContainText("Done: 1 issued, 2 skipped.");
});

test("the import pages fit a 390 px phone screen without scrolling sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpMerchant(page);
  await createTemplateViaUi(page, "Phone import");
  const scrollWidth = () => page.evaluate(() => document.scrollingElement!.scrollWidth);

  await page.goto("/cards/import");
  await expect(page.getByRole("button", { name: "Check the file" })).toBeVisible();
  expect(await scrollWidth()).toBeLessThanOrEqual(390);

  const stamp = Date.now() % 100_000;
  const csv = `phone;name;email;balance\r\n+79162${String(stamp).padStart(5, "0")}1;Anastasia Konstantinovna Petrova-Vodkina;anastasia.konstantinovna@example.com;1500\r\nbad;x;y;z\r\n`;
  await page.getByLabel("CSV file").setInputFiles({ name: "a-rather-long-file-name-for-a-phone-screen.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByTestId("import-row-table")).toBeVisible();
  expect(await scrollWidth()).toBeLessThanOrEqual(390);
});
