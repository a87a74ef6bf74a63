import { expect, type Page } from "@playwright/test";

/** The two screens issue 10's walk was made on: a phone and a laptop. */
export const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1366, height: 768 },
] as const;

export type Viewport = (typeof VIEWPORTS)[number];

export async function expectNoHorizontalOverflow(page: Page, width: number) {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

/** Follows a cabinet navigation link as a person would: the sidebar on a laptop, the menu on a phone. */
export async function clickNav(page: Page, viewport: Viewport, name: string) {
  if (viewport.name === "phone") {
    // The menu may still be open from a navigation the leave dialog held back.
    if (!(await page.locator("#mobile-nav").isVisible())) await page.getByRole("button", { name: "Menu", exact: true }).click();
    await page.locator("#mobile-nav").getByRole("link", { name, exact: true }).click();
  } else {
    await page.getByRole("complementary").getByRole("link", { name, exact: true }).click();
  }
}

/** Screenshots for a person to look at, only when SHOTS_DIR is set (never in CI). */
export async function shot(page: Page, name: string) {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png`, fullPage: true });
}

export async function useRussian(page: Page) {
  await page.context().addCookies([{ name: "NEXT_LOCALE", value: "ru", url: new URL(page.url()).origin }]);
}
