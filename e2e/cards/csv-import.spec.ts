import { test, expect } from "@playwright/test";
import { signUpMerchant } from "../helpers";
import { createTemplateViaUi } from "./helpers";

test("import cards from a CSV with broken lines: per-line errors first, then issued with progress, and a second run issues nothing twice", async ({ page }) => {
  await signUpMerchant(page);
  await createTemplateViaUi(page, "Import card");
  const stamp = Date.now() % 100_000;
  const phone = (n: number) => `+79161${String(stamp).padStart(5, "0")}${n}`;
  const csv = [`телефон;имя;баланс`, `${phone(1)};Ivan;10`, `${phone(2)};Olga;abc`, `12345;Bad;1`, `${phone(1)};Dup;3`, `"${phone(4)}";"Petr; Jr.";`].join("\r\n");
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

  await page.getByRole("button", { name: "Issue 2 cards" }).click();
  await expect(page.getByRole("progressbar")).toBeVisible();
  await expect(page.getByTestId("import-done")).toContainText("Done: 2 issued, 0 skipped.");
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");

  await page.getByRole("link", { name: "See the cards" }).click();
  await expect(page.getByTestId("card-row")).toHaveCount(2);
  await expect(page.getByRole("table").getByText("Petr; Jr.")).toBeVisible();

  // The same file again: the phones already hold a card of this template, so nothing is issued twice.
  await page.goto("/cards/import");
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Check the file" }).click();
  await page.getByRole("button", { name: "Issue 2 cards" }).click();
  await expect(page.getByTestId("import-done")).toContainText("Done: 0 issued, 2 skipped.");
});
