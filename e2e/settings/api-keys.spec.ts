import { test, expect } from "@playwright/test";
import { alerts, signUpMerchant, uniqueId } from "../helpers";

test("owner creates an API key, sees it once, uses it, and revokes it", async ({ page }) => {
  await signUpMerchant(page);
  await page.getByRole("complementary").getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();

  // A key that may do nothing is refused, next to the permissions.
  const name = `Till ${uniqueId()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("checkbox", { name: /Read templates/ }).uncheck();
  await page.getByRole("checkbox", { name: /Find and read cards/ }).uncheck();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Choose at least one permission.")).toBeVisible();
  await expect(alerts(page)).toHaveText("Please correct the highlighted fields.");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);

  await page.getByRole("checkbox", { name: /Read templates/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = page.getByTestId("api-key-secret");
  await expect(secret).toBeVisible();
  await expect(secret).toContainText("it will not be shown again");
  const field = secret.getByLabel("API key");
  await expect(field).toHaveValue(/^cd_[\w-]{43}$/);
  const key = await field.inputValue();

  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await secret.getByRole("button", { name: "Copy" }).click();
  await expect(secret.getByRole("status")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText(key.slice(0, 8));
  await expect(row).toContainText("Read templates");
  await expect(row).toContainText("Never used");

  // The key works against the API, for what its scope allows.
  const auth = { authorization: `Bearer ${key}` };
  expect((await page.request.get("/api/v1/templates", { headers: auth })).status()).toBe(200);
  expect((await page.request.get("/api/v1/cards", { headers: auth })).status()).toBe(403);

  await secret.getByRole("button", { name: "I have saved it" }).click();
  await expect(secret).toHaveCount(0);
  await page.reload();
  await expect(row).toContainText("Last used");
  // Shown once: nowhere on the page any more.
  await expect(page.getByText(key)).toHaveCount(0);
  await expect(page.getByTestId("api-key-secret")).toHaveCount(0);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke this key?" });
  await expect(dialog).toContainText(name);
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
  const refused = await page.request.get("/api/v1/templates", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: { code: "unauthorized", message: "Invalid API key: it is unknown or has been revoked." } });
});

test("the API key page works on a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signUpMerchant(page);
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name", { exact: true }).fill(`Phone till ${uniqueId()}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const field = page.getByTestId("api-key-secret").getByLabel("API key");
  await expect(field).toBeVisible();
  // Nothing wider than the screen: the key field and buttons wrap instead.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expect(page.getByTestId("api-key-row")).toHaveCount(1);
});
