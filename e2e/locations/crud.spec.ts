import { test, expect } from "@playwright/test";
import { fillLocationForm, signUpMerchant, uniqueId } from "../helpers";

test("create, edit and delete a point of sale", async ({ page }) => {
  await signUpMerchant(page);
  await page.getByRole("link", { name: "Points of sale" }).first().click();
  await expect(page).toHaveURL(/\/locations$/);
  await expect(page.getByRole("heading", { name: "Points of sale", level: 1 })).toBeVisible();
  await expect(page.getByText("No points of sale yet")).toBeVisible();

  await page.getByRole("link", { name: "New point of sale" }).first().click();
  await expect(page).toHaveURL(/\/locations\/new$/);

  // An out-of-range latitude is refused next to its field and nothing is saved.
  const name = `Corner Café ${uniqueId()}`;
  await fillLocationForm(page, { name, address: "5 Arbat St, Moscow", latitude: "100", longitude: "37.6173", nearbyText: "Coffee is 10% off here" });
  await page.getByRole("button", { name: "Add point of sale" }).click();
  const latitude = page.getByLabel("Latitude", { exact: true });
  await expect(page.getByText("Latitude must be between -90 and 90.")).toBeVisible();
  await expect(latitude).toHaveAttribute("aria-invalid", "true");
  await expect(latitude).toHaveAccessibleDescription("Latitude must be between -90 and 90.");
  await expect(page).toHaveURL(/\/locations\/new$/);
  // What was typed is kept.
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);

  await latitude.fill("55.7522");
  await page.getByRole("button", { name: "Add point of sale" }).click();
  await expect(page).toHaveURL(/\/locations$/);
  const link = page.getByRole("link", { name, exact: true });
  await expect(link).toBeVisible();
  await expect(page.getByRole("cell", { name: "55.75220, 37.61730" })).toBeVisible();

  // Edit the name.
  await link.click();
  await expect(page).toHaveURL(/\/locations\/[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(page.getByLabel("Latitude", { exact: true })).toHaveValue("55.7522");
  const renamed = `${name} (renamed)`;
  await page.getByLabel("Name", { exact: true }).fill(renamed);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/locations$/);
  await expect(page.getByRole("link", { name: renamed, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

  // Delete: Cancel keeps it, confirming removes it.
  await page.getByRole("link", { name: renamed, exact: true }).click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this point of sale?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.goto("/locations");
  await expect(page.getByRole("link", { name: renamed, exact: true })).toBeVisible();

  await page.getByRole("link", { name: renamed, exact: true }).click();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Delete for good" }).click();
  await expect(page).toHaveURL(/\/locations$/);
  await expect(page.getByText("No points of sale yet")).toBeVisible();
  await expect(page.getByRole("link", { name: renamed, exact: true })).toHaveCount(0);
});
