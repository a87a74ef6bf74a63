import { test, expect } from "@playwright/test";
import { signUpMerchant } from "../helpers";

test("Settings → API reference shows the interactive reference from our own bundle, with this installation's base URL", async ({ page }) => {
  // Offline: any request that leaves our origin (a CDN, web fonts, telemetry) fails the test.
  const outside: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (!["localhost", "127.0.0.1"].includes(url.hostname) && !url.protocol.startsWith("data") && !url.protocol.startsWith("blob")) outside.push(r.url());
  });
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text())) blocked.push(m.text());
  });

  await signUpMerchant(page);
  await page.getByRole("complementary").getByRole("link", { name: "API reference" }).click();
  // Scalar notes the section in view in the hash (#description/…).
  await expect(page).toHaveURL(/\/settings\/api(#.*)?$/);
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  const reference = page.getByTestId("api-reference");
  // Operations from the document, rendered by Scalar.
  await expect(reference.getByText("Read the events feed").first()).toBeVisible({ timeout: 30_000 });
  await expect(reference.getByText("Find customers").first()).toBeVisible();
  await expect(reference.getByText(/\/api\/v1/).first()).toBeVisible();
  // Nothing that talks to Scalar's cloud.
  await expect(reference.getByText("Ask AI")).toHaveCount(0);
  await page.screenshot({ path: "test-results/api-reference.png", fullPage: false });
  expect(outside).toEqual([]);
  expect(blocked).toEqual([]);
});
