import { test, expect } from "@playwright/test";
import { signUpMerchant } from "../helpers";

test("the welcome notification can be archived and then closed", async ({ page }) => {
  const merchant = await signUpMerchant(page);
  const bell = page.getByTestId("notification-bell");
  const count = page.getByTestId("notification-count");
  await expect(count).toHaveText("1");

  await bell.click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  await expect(panel).toBeVisible();
  const newTab = panel.getByRole("tab", { name: "New" });
  const archiveTab = panel.getByRole("tab", { name: "Archive" });
  await expect(newTab).toHaveAttribute("aria-selected", "true");
  const welcome = panel.getByRole("listitem").filter({ hasText: `Welcome to CardDesk, ${merchant.organisation}!` });
  await expect(welcome).toHaveCount(1);

  // Archive: leaves "New", the count disappears, it shows under "Archive".
  await welcome.getByRole("button", { name: "Archive" }).click();
  await expect(welcome).toHaveCount(0);
  await expect(panel.getByText("You're all caught up.")).toBeVisible();
  await expect(count).toHaveCount(0);

  await archiveTab.click();
  await expect(archiveTab).toHaveAttribute("aria-selected", "true");
  await expect(welcome).toHaveCount(1);
  await expect(welcome.getByRole("button", { name: "Archive" })).toHaveCount(0);

  // Still archived after a reload.
  await page.reload();
  await expect(count).toHaveCount(0);
  await bell.click();
  await panel.getByRole("tab", { name: "Archive" }).click();
  await expect(welcome).toHaveCount(1);

  // Close removes it everywhere.
  await welcome.getByRole("button", { name: "Close" }).click();
  await expect(welcome).toHaveCount(0);
  await expect(panel.getByText("Nothing archived yet.")).toBeVisible();
  await panel.getByRole("tab", { name: "New" }).click();
  await expect(panel.getByText("You're all caught up.")).toBeVisible();

  await page.reload();
  await bell.click();
  await expect(panel.getByText("You're all caught up.")).toBeVisible();
  await panel.getByRole("tab", { name: "Archive" }).click();
  await expect(panel.getByText("Nothing archived yet.")).toBeVisible();
});

test("closing a new notification removes it at once", async ({ page }) => {
  const merchant = await signUpMerchant(page);
  await expect(page.getByTestId("notification-count")).toHaveText("1");
  await page.getByTestId("notification-bell").click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  const welcome = panel.getByRole("listitem").filter({ hasText: `Welcome to CardDesk, ${merchant.organisation}!` });
  await welcome.getByRole("button", { name: "Close" }).click();
  await expect(welcome).toHaveCount(0);
  await expect(page.getByTestId("notification-count")).toHaveCount(0);
  await panel.getByRole("tab", { name: "Archive" }).click();
  await expect(panel.getByText("Nothing archived yet.")).toBeVisible();
});
