import { test, expect } from "@playwright/test";
import { alerts, createLocation, newPerson, signUpMerchant } from "../helpers";

test("another merchant's staff cannot open or see a point of sale", async ({ page, browser }) => {
  await signUpMerchant(page);
  const location = await createLocation(page);
  // Merchant A can open it.
  const own = await page.goto(`/locations/${location.id}`);
  expect(own?.status()).toBe(200);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(location.name);

  const b = await newPerson(browser);
  try {
    await signUpMerchant(b.page);
    const response = await b.page.goto(`/locations/${location.id}`);
    expect(response?.status()).toBe(404);
    await expect(b.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(b.page.getByText(location.name)).toHaveCount(0);

    // Nor is it listed or found by search in merchant B's cabinet.
    await b.page.goto(`/locations?q=${encodeURIComponent(location.name)}`);
    await expect(b.page.getByRole("heading", { name: "Nothing found" })).toBeVisible();
    await b.page.goto("/locations");
    await expect(b.page.getByText("No points of sale yet")).toBeVisible();
  } finally {
    await b.context.close();
  }
});

test("another merchant's staff cannot change or delete a point of sale by forging its id", async ({ page, browser }) => {
  await signUpMerchant(page);
  const target = await createLocation(page);

  const b = await newPerson(browser);
  try {
    await signUpMerchant(b.page);
    const own = await createLocation(b.page);
    await b.page.goto(`/locations/${own.id}`);
    const notFound = "Not found: it may have been deleted, or it belongs to another organisation.";

    // The edit form, pointed at merchant A's row.
    await b.page
      .locator('form input[type="hidden"][name="id"]')
      .evaluateAll((inputs, id) => inputs.forEach((i) => ((i as HTMLInputElement).value = id)), target.id);
    await b.page.getByLabel("Name", { exact: true }).fill("Taken over");
    await b.page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(alerts(b.page)).toHaveText(notFound);
    await expect(b.page).toHaveURL(new RegExp(`/locations/${own.id}$`));

    // The delete dialog, pointed at merchant A's row too (its hidden id was changed above).
    await b.page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = b.page.getByRole("dialog", { name: "Delete this point of sale?" });
    await dialog.getByRole("button", { name: "Delete for good" }).click();
    await expect(dialog.getByRole("alert")).toHaveText(notFound);
  } finally {
    await b.context.close();
  }

  // Merchant A's point of sale is untouched.
  await page.goto("/locations");
  await expect(page.getByRole("link", { name: target.name, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Taken over" })).toHaveCount(0);
  await page.goto(`/locations/${target.id}`);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(target.name);
});
