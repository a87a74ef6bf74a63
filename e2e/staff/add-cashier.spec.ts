import { test, expect } from "@playwright/test";
import { alerts, newPerson, signIn, signUpMerchant, submitSignIn, uniqueEmail, uniqueId } from "../helpers";

test("owner adds a cashier, who signs in with limited navigation until deactivated", async ({ page, browser }) => {
  await signUpMerchant(page);
  await page.getByRole("complementary").getByRole("link", { name: "Staff" }).click();
  await expect(page).toHaveURL(/\/settings\/staff$/);

  const cashier = { name: `Carl Cashier${uniqueId()}`, email: uniqueEmail("cashier"), password: "Cash-pass-67890" };
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add staff member" }) });
  await expect(page.getByRole("heading", { name: "Add a staff member" })).toBeVisible();
  await form.getByLabel("Name", { exact: true }).fill(cashier.name);
  await form.getByLabel("E-mail", { exact: true }).fill(cashier.email);
  await expect(form.getByLabel("Role", { exact: true })).toHaveValue("cashier");
  await expect(form.getByLabel("Role", { exact: true }).locator("option:checked")).toHaveText("Cashier");
  await form.getByLabel("Initial password").fill(cashier.password);
  await form.getByRole("button", { name: "Add staff member" }).click();
  await expect(page.getByRole("status")).toHaveText(`${cashier.email} has been added and can sign in now.`);

  const row = page.getByTestId("staff-row").filter({ hasText: cashier.email });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Cashier");
  await expect(row).toContainText("Active");

  // The cashier, in a browser of their own.
  const other = await newPerson(browser);
  try {
    await signIn(other.page, cashier.email, cashier.password);
    await expect(other.page.getByRole("heading", { name: `Hello, ${cashier.name.split(" ")[0]}` })).toBeVisible();
    const nav = other.page.getByRole("complementary");
    await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Points of sale" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Security" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Staff" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Organisation" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Activity log" })).toHaveCount(0);
    // Typing the address does not help either.
    const staffPage = await other.page.goto("/settings/staff");
    expect(staffPage?.status()).toBe(404);
    // A cashier sees points of sale but cannot add them.
    await other.page.goto("/locations");
    await expect(other.page.getByRole("heading", { name: "Points of sale", level: 1 })).toBeVisible();
    await expect(other.page.getByRole("link", { name: "New point of sale" })).toHaveCount(0);
    const newLocation = await other.page.goto("/locations/new");
    expect(newLocation?.status()).toBe(404);

    // The owner deactivates the cashier.
    await row.getByRole("button", { name: "Deactivate" }).click();
    const dialog = page.getByRole("dialog", { name: "Deactivate this staff member?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Deactivated");
    await expect(row.getByRole("button", { name: "Reactivate" })).toBeVisible();

    // Their open session ends at once…
    await other.page.goto("/dashboard");
    await expect(other.page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);
    // …and signing in again is refused with a clear reason.
    await submitSignIn(other.page, cashier.email, cashier.password);
    await expect(alerts(other.page)).toHaveText("This account has been deactivated. Ask your organisation's owner to restore access.");
    await expect(other.page).toHaveURL(/\/sign-in(\?next=[^&]*)?$/);
  } finally {
    await other.context.close();
  }
});
