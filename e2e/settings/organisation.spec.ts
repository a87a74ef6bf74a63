import { test, expect, type Page } from "@playwright/test";
import { alerts, makePng, signUpMerchant, uniqueId } from "../helpers";

async function openOrganisation(page: Page) {
  await page.getByRole("complementary").getByRole("link", { name: "Organisation" }).click();
  await expect(page).toHaveURL(/\/settings\/organisation$/);
  await expect(page.getByRole("heading", { name: "Organisation", level: 1 })).toBeVisible();
}

test.describe("organisation settings", () => {
  test("a valid logo is shown in settings and in the top bar", async ({ page }) => {
    await signUpMerchant(page);
    await openOrganisation(page);
    await expect(page.getByText("No logo")).toBeVisible();
    await expect(page.getByTestId("logo-preview")).toHaveCount(0);
    await expect(page.getByRole("banner").locator("img")).toHaveCount(0);

    await page.getByLabel("Image file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: makePng(128, 128) });
    await page.getByRole("button", { name: "Upload logo" }).click();

    const preview = page.getByTestId("logo-preview");
    await expect(preview).toBeVisible();
    await expect(preview).toHaveAttribute("src", /^\/api\/files\/[0-9a-f-]+$/);
    // The image really loads (served by the app, decoded by the browser).
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(128);
    const src = await preview.getAttribute("src");
    const topBarLogo = page.getByRole("banner").locator(`img[src="${src}"]`);
    await expect(topBarLogo).toBeVisible();
    await expect.poll(() => topBarLogo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(128);

    // It stays after a reload and on other pages.
    await page.goto("/dashboard");
    await expect(page.getByRole("banner").locator(`img[src="${src}"]`)).toBeVisible();
  });

  test("a too-small image and a non-image are refused", async ({ page }) => {
    await signUpMerchant(page);
    await openOrganisation(page);
    const file = page.getByLabel("Image file");

    await file.setInputFiles({ name: "tiny.png", mimeType: "image/png", buffer: makePng(16, 16) });
    await page.getByRole("button", { name: "Upload logo" }).click();
    await expect(alerts(page)).toHaveText("The image is 16×16 px; it must be from 64×64 to 4096×4096 px.");
    await expect(file).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("logo-preview")).toHaveCount(0);

    // The browser's claimed type is not trusted: a text file named .png is still refused.
    await file.setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just some text, not an image\n") });
    await page.getByRole("button", { name: "Upload logo" }).click();
    await expect(alerts(page)).toHaveText("Upload a PNG, JPEG or WebP image.");

    await file.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("plain text\n") });
    await page.getByRole("button", { name: "Upload logo" }).click();
    await expect(alerts(page)).toHaveText("Upload a PNG, JPEG or WebP image.");
    await expect(page.getByTestId("logo-preview")).toHaveCount(0);

    await page.reload();
    await expect(page.getByText("No logo")).toBeVisible();
  });

  test("the organisation name is saved and shown in the top bar; a bad tax ID is refused", async ({ page }) => {
    const merchant = await signUpMerchant(page);
    await openOrganisation(page);
    const name = page.getByLabel("Name shown to customers");
    await expect(name).toHaveValue(merchant.organisation);

    await page.getByLabel("Tax ID (INN)").fill("12345");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("A tax ID (INN) has 10 or 12 digits.")).toBeVisible();
    await expect(page.getByTestId("merchant-name")).toHaveText(merchant.organisation);

    const renamed = `Renamed ${uniqueId()}`;
    await name.fill(renamed);
    await page.getByLabel("Tax ID (INN)").fill("7707083893");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("Changes saved.");
    await expect(page.getByTestId("merchant-name")).toHaveText(renamed);

    await page.reload();
    await expect(page.getByLabel("Name shown to customers")).toHaveValue(renamed);
    await expect(page.getByLabel("Tax ID (INN)")).toHaveValue("7707083893");
    await expect(page.getByTestId("merchant-name")).toHaveText(renamed);
  });
});
