import { test, expect } from "@playwright/test";
import { signIn, signOut, signUpMerchant } from "../helpers";

test("the cabinet switches to Russian, keeps it and switches back", async ({ page }) => {
  const merchant = await signUpMerchant(page);
  const nav = page.getByRole("complementary");
  await expect(page.getByRole("button", { name: "en", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();

  await page.getByRole("button", { name: "ru", exact: true }).click();
  await expect(page.getByRole("button", { name: "ru", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "en", exact: true })).toHaveAttribute("aria-pressed", "false");
  for (const label of ["Главная", "Точки продаж", "Организация", "Сотрудники"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Dashboard" })).toHaveCount(0);
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");

  await page.reload();
  await expect(nav.getByRole("link", { name: "Точки продаж" })).toBeVisible();
  await expect(page.getByRole("button", { name: "ru", exact: true })).toHaveAttribute("aria-pressed", "true");

  // Other pages follow too.
  await nav.getByRole("link", { name: "Точки продаж" }).click();
  await expect(page).toHaveURL(/\/locations$/);
  await expect(page.getByRole("heading", { name: "Точки продаж", level: 1 })).toBeVisible();

  // Kept across signing out and in again.
  await page.getByTestId("user-menu").click();
  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page).toHaveURL(/\/sign-in(\?next=[^&]*)?$/);
  await expect(page.getByRole("heading", { name: "Вход" })).toBeVisible();
  await page.getByLabel("E-mail").fill(merchant.email);
  await page.getByLabel("Пароль").fill(merchant.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(nav.getByRole("link", { name: "Главная" })).toBeVisible();

  await page.getByRole("button", { name: "en", exact: true }).click();
  await expect(page.getByRole("button", { name: "en", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(nav.getByRole("link", { name: "Points of sale" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Точки продаж" })).toHaveCount(0);
  await page.reload();
  await expect(nav.getByRole("link", { name: "Organisation" })).toBeVisible();
  await signOut(page);
  await signIn(page, merchant.email, merchant.password);
  await expect(nav.getByRole("link", { name: "Staff" })).toBeVisible();
});
