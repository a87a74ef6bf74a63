import { test, expect, type Page } from "@playwright/test";
import { createLocation, signUpMerchant } from "../helpers";

test.use({ viewport: { width: 390, height: 844 } });

async function expectNoHorizontalOverflow(page: Page) {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

test("sign-in has no horizontal overflow on a phone", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.goto("/sign-up");
  await expect(page.getByRole("button", { name: "Create an account" })).toBeVisible();
  await expectNoHorizontalOverflow(page);
});

test("the cabinet fits a phone and the menu button opens navigation", async ({ page }) => {
  await signUpMerchant(page);
  await expectNoHorizontalOverflow(page);
  // The desktop sidebar is hidden; the menu button replaces it.
  await expect(page.getByRole("complementary")).toBeHidden();

  const menu = page.getByRole("button", { name: "Menu", exact: true });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const mobileNav = page.locator("#mobile-nav");
  await expect(mobileNav.getByRole("link", { name: "Points of sale" })).toBeVisible();
  await expect(mobileNav.getByRole("link", { name: "Staff" })).toBeVisible();
  await expectNoHorizontalOverflow(page);

  await mobileNav.getByRole("link", { name: "Points of sale" }).click();
  await expect(page).toHaveURL(/\/locations$/);
  await expect(page.getByRole("heading", { name: "Points of sale", level: 1 })).toBeVisible();
  await expect(mobileNav).toBeHidden();
  await expectNoHorizontalOverflow(page);

  // With a long entry in the list, too.
  await createLocation(page, {
    name: `A rather long point of sale name for the flagship store on the corner`,
    address: "Leningradsky Prospekt 39, building 79, Moscow, 125167, Russia",
  });
  await expectNoHorizontalOverflow(page);

  // Esc closes the menu.
  await menu.click();
  await expect(mobileNav).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(mobileNav).toBeHidden();
  await expect(menu).toBeFocused();
});

test("the notification panel stays inside a phone screen", async ({ page }) => {
  await signUpMerchant(page);
  await page.getByTestId("notification-bell").click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  await expect(panel).toBeVisible();
  const box = await panel.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});
