import { test, expect, type Page } from "@playwright/test";
import { alerts, makePng, seedMerchant, signUpMerchant, uniqueId } from "../helpers";

type KindLabel = "Loyalty / discount" | "Stamp card" | "Gift certificate" | "Coupon" | "Membership" | "Generic";

/** Creates a template through the form (from the list page) and waits for its editor. */
async function createTemplate(page: Page, name: string, kind: KindLabel = "Loyalty / discount"): Promise<string> {
  await page.getByRole("link", { name: "Templates", exact: true }).first().click();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(page.getByRole("heading", { name: "Card templates", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "New template" }).first().click();
  await expect(page).toHaveURL(/\/templates\/new$/);
  await page.getByLabel("Template name").fill(name);
  const group = page.getByRole("group", { name: "Kind of card" });
  await group.getByText(kind, { exact: true }).click();
  await expect(group.getByRole("radio", { name: kind })).toBeChecked();
  await page.getByRole("button", { name: "Create template" }).click();
  await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("version 1", { exact: true })).toBeVisible();
  return page.url().match(/\/templates\/([0-9a-f-]{36})$/)![1];
}

async function save(page: Page, version: number): Promise<void> {
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(`Saved as version ${version}.`, { exact: true })).toBeVisible();
  await expect(page.getByText(`version ${version}`, { exact: true })).toBeVisible();
}

const tab = (page: Page, name: string) => page.getByRole("tab", { name, exact: true });
const png = (name: string, buffer: Buffer) => ({ name, mimeType: "image/png", buffer });

test("design a loyalty template: logo, live preview, versions and restore", async ({ page }) => {
  const merchant = await signUpMerchant(page);
  const name = `Coffee card ${uniqueId()}`;
  await createTemplate(page, name, "Loyalty / discount");
  await expect(tab(page, "Design")).toHaveAttribute("aria-selected", "true");

  const front = page.getByTestId("preview-apple-front");
  const logoText = page.getByLabel("Text beside the logo (EN)", { exact: true });
  // A new template starts with the organisation's name beside the logo.
  await expect(logoText).toHaveValue(merchant.organisation);
  await expect(page.getByTestId("preview-logo-text")).toHaveText(merchant.organisation);
  await expect(page.getByTestId("preview-logo")).toHaveCount(0);

  // Upload a valid logo: the slot and the preview show it.
  const slot = page.getByTestId("image-slot-logo");
  const upload = slot.getByRole("button", { name: "Upload" });
  await expect(upload).toBeDisabled();
  await slot.locator("input[type=file]").setInputFiles(png("logo.png", makePng(300, 100)));
  await expect(upload).toBeEnabled();
  await upload.click();
  await expect(slot.locator("img")).toBeVisible();
  await expect(page.getByTestId("preview-logo")).toBeVisible();
  await expect(alerts(page)).toHaveCount(0);

  // The preview follows the typing before anything is saved.
  const text2 = `Beans ${uniqueId()}`.slice(0, 30);
  await logoText.fill(text2);
  await expect(page.getByTestId("preview-logo-text")).toHaveText(text2);

  await page.getByLabel("Background", { exact: true }).fill("#112233");
  await expect(front).toHaveCSS("background-color", "rgb(17, 34, 51)");

  await save(page, 2);
  // After the reload the saved design is what the editor shows.
  await expect(logoText).toHaveValue(text2);
  await expect(page.getByLabel("Background", { exact: true })).toHaveValue("#112233");
  await expect(front).toHaveCSS("background-color", "rgb(17, 34, 51)");
  await expect(page.getByTestId("preview-logo")).toBeVisible();

  const text3 = `Roast ${uniqueId()}`.slice(0, 30);
  await logoText.fill(text3);
  await expect(page.getByTestId("preview-logo-text")).toHaveText(text3);
  await save(page, 3);
  await expect(logoText).toHaveValue(text3);

  // Version history: newest first, version 3 current.
  const versions = page.getByTestId("template-version");
  await expect(versions).toHaveCount(3);
  await expect(versions.first()).toContainText("Version 3");
  await expect(versions.first()).toContainText("Current");
  await expect(versions.first().getByRole("button", { name: "Restore" })).toHaveCount(0);

  const v1 = versions.filter({ hasText: /Version 1(?!\d)/ });
  await expect(v1).toHaveCount(1);
  await v1.getByRole("button", { name: "Restore" }).click();
  const dialog = page.getByRole("dialog", { name: "Restore version 1?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Restore" }).click();

  await expect(page.getByText("Version 1 restored as version 4.", { exact: true })).toBeVisible();
  await expect(page.getByText("version 4", { exact: true })).toBeVisible();
  await expect(logoText).toHaveValue(merchant.organisation);
  await expect(page.getByTestId("preview-logo-text")).toHaveText(merchant.organisation);
  // Version 1 had neither the logo nor the dark background.
  await expect(page.getByTestId("preview-logo")).toHaveCount(0);
  await expect(front).not.toHaveCSS("background-color", "rgb(17, 34, 51)");
  await expect(versions).toHaveCount(4);
  await expect(versions.first()).toContainText("Version 4");
  await expect(versions.first()).toContainText("restored from 1");
  await expect(versions.first()).toContainText("Current");
});

test("an oversized logo is refused and the preview stays as it was", async ({ page }) => {
  const merchant = await signUpMerchant(page);
  await createTemplate(page, `Big logo ${uniqueId()}`);
  const front = page.getByTestId("preview-apple-front");
  const backgroundBefore = await front.evaluate((el) => getComputedStyle(el).backgroundColor);

  const slot = page.getByTestId("image-slot-logo");
  await slot.locator("input[type=file]").setInputFiles(png("huge.png", makePng(1000, 1000)));
  await slot.getByRole("button", { name: "Upload" }).click();

  const message = "The image is 1000×1000 px; it must be from 50×30 to 480×150 px.";
  await expect(alerts(page)).toHaveText([message]);
  await expect(slot.getByRole("alert")).toHaveText(message);
  await expect(slot.locator("img")).toHaveCount(0);
  await expect(page.getByTestId("preview-logo")).toHaveCount(0);
  await expect(page.getByTestId("preview-logo-text")).toHaveText(merchant.organisation);
  await expect(front).toHaveCSS("background-color", backgroundBefore);
  await expect(page.getByTestId("template-version")).toHaveCount(1);

  // The slot still works afterwards: a fitting logo replaces the error.
  await slot.locator("input[type=file]").setInputFiles(png("logo.png", makePng(200, 60)));
  await slot.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("preview-logo")).toBeVisible();
  await expect(slot.locator("img")).toBeVisible();
  await expect(alerts(page)).toHaveCount(0);
});

test("geolocation takes at most 10 points of sale", async ({ page }) => {
  // Eleven points of sale made in the database (the locations specs cover making one in the cabinet).
  const tag = uniqueId();
  const places = Array.from({ length: 11 }, (_, i) => `Shop ${String(i + 1).padStart(2, "0")} ${tag}`);
  await seedMerchant(page, { locations: places });

  await createTemplate(page, `Nearby ${uniqueId()}`);
  await tab(page, "Geolocation").click();
  await expect(tab(page, "Geolocation")).toHaveAttribute("aria-selected", "true");
  const chosen = page.getByTestId("template-location");
  await expect(chosen).toHaveCount(0);

  for (const [i, place] of places.slice(0, 10).entries()) {
    await page.getByRole("button", { name: `+ ${place}`, exact: true }).click();
    await expect(chosen).toHaveCount(i + 1);
    await expect(page.getByRole("button", { name: `+ ${place}`, exact: true })).toHaveCount(0);
  }
  await expect(alerts(page)).toHaveCount(0);

  await page.getByRole("button", { name: `+ ${places[10]}`, exact: true }).click();
  await expect(alerts(page)).toHaveText(["A card can show at most 10 points of sale. Remove one to add another."]);
  await expect(chosen).toHaveCount(10);
  await expect(chosen.filter({ hasText: places[10] })).toHaveCount(0);

  await save(page, 2);
  await tab(page, "Geolocation").click();
  await expect(chosen).toHaveCount(10);
  for (const place of places.slice(0, 10)) await expect(chosen.filter({ hasText: place })).toHaveCount(1);
  await expect(page.getByRole("button", { name: `+ ${places[10]}`, exact: true })).toBeVisible();
});

test("a change message without %@ is refused on save and points at the Fields tab", async ({ page }) => {
  await signUpMerchant(page);
  await createTemplate(page, `Levels ${uniqueId()}`);
  await tab(page, "Fields").click();

  const auxiliary = page.getByRole("region", { name: "Auxiliary fields" });
  await auxiliary.getByRole("button", { name: "Add field" }).click();
  const field = page.getByTestId("field-auxiliary-0");
  await expect(field).toBeVisible();
  const key = `level_${uniqueId()}`.slice(0, 30);
  await field.getByLabel("Key", { exact: true }).fill(key);
  await field.getByLabel("Label (EN)", { exact: true }).fill("Level");
  const changeEn = field.getByLabel("Change message (EN)", { exact: true });
  await changeEn.fill("Your level has changed");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  const alert = alerts(page);
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText("Please correct the highlighted fields.");
  await expect(alert).toContainText("Look at: Fields.");
  await expect(field.getByText("The message must contain %@ where the new value goes.", { exact: true })).toBeVisible();
  await expect(page.getByText("version 1", { exact: true })).toBeVisible();
  await expect(page.getByTestId("template-version")).toHaveCount(1);
  // What was typed is kept.
  await expect(changeEn).toHaveValue("Your level has changed");

  await changeEn.fill("Your level is now %@");
  await save(page, 2);
  await expect(alerts(page)).toHaveCount(0);
  await tab(page, "Fields").click();
  await expect(page.getByTestId("field-auxiliary-0").getByLabel("Key", { exact: true })).toHaveValue(key);
  await expect(page.getByTestId("field-auxiliary-0").getByLabel("Change message (EN)", { exact: true })).toHaveValue("Your level is now %@");
});

test("barcode fallback note; duplicate, archive and restore from the list", async ({ page }) => {
  await signUpMerchant(page);
  const name = `Barcodes ${uniqueId()}`;
  await createTemplate(page, name);

  await tab(page, "Barcode").click();
  const format = page.getByLabel("Barcode format", { exact: true });
  await expect(format).toHaveValue("qr");
  await expect(page.getByTestId("barcode-fallback")).toHaveCount(0);
  await format.selectOption({ label: "EAN-13" });
  await expect(page.getByTestId("barcode-fallback")).toBeVisible();
  await expect(page.getByTestId("barcode-fallback")).toContainText("Code 128");
  await save(page, 2);
  await tab(page, "Barcode").click();
  await expect(format).toHaveValue("ean13");
  await expect(page.getByTestId("barcode-fallback")).toContainText("Code 128");

  const cards = page.getByTestId("template-card");
  const cardOf = (n: string) => cards.filter({ has: page.getByRole("link", { name: n, exact: true }) });
  const copyName = `${name} (copy)`;

  // Duplicate: opens the copy's editor.
  await page.getByRole("link", { name: "Templates", exact: true }).first().click();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(cards).toHaveCount(1);
  await expect(cardOf(name)).toContainText("Loyalty / discount");
  await expect(cardOf(name)).toContainText("no cards · version 2");
  await cardOf(name).getByRole("button", { name: "Duplicate" }).click();
  await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: copyName, level: 1 })).toBeVisible();
  await tab(page, "Barcode").click();
  await expect(page.getByLabel("Barcode format", { exact: true })).toHaveValue("ean13");

  await page.getByRole("link", { name: "Templates", exact: true }).first().click();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(cards).toHaveCount(2);
  await expect(cardOf(copyName)).toHaveCount(1);

  // Archive the original.
  await cardOf(name).getByRole("button", { name: "Archive" }).click();
  const dialog = page.getByRole("dialog", { name: "Archive this template?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Archive" }).click();
  await expect(dialog).toBeHidden();
  await expect(cards).toHaveCount(1);
  await expect(cardOf(name)).toHaveCount(0);
  await expect(cardOf(copyName)).toHaveCount(1);

  await page.getByRole("link", { name: "Archived", exact: true }).click();
  await expect(page).toHaveURL(/\/templates\?archived=1$/);
  await expect(cards).toHaveCount(1);
  await expect(cardOf(name)).toHaveCount(1);
  await expect(cardOf(name).getByRole("button", { name: "Archive" })).toHaveCount(0);

  // Restore brings it back to the active list.
  await cardOf(name).getByRole("button", { name: "Restore" }).click();
  await expect(cards).toHaveCount(0);
  await expect(page.getByText("Nothing archived")).toBeVisible();
  await page.getByRole("link", { name: "Active", exact: true }).click();
  await expect(page).toHaveURL(/\/templates$/);
  await expect(cards).toHaveCount(2);
  await expect(cardOf(name)).toHaveCount(1);
  await expect(cardOf(copyName)).toHaveCount(1);
});

test("the preview's RU toggle shows the Russian texts", async ({ page }) => {
  await signUpMerchant(page);
  await createTemplate(page, `Bilingual ${uniqueId()}`, "Gift certificate");

  const id = uniqueId();
  const descriptionEn = `Gift card ${id}`;
  const descriptionRu = `Подарочная карта ${id}`;
  const logoEn = `Tea ${id}`.slice(0, 30);
  const logoRu = `Чай ${id}`.slice(0, 30);
  await page.getByLabel("Card description (EN)", { exact: true }).fill(descriptionEn);
  await page.getByLabel("Card description (RU)", { exact: true }).fill(descriptionRu);
  await page.getByLabel("Text beside the logo (EN)", { exact: true }).fill(logoEn);
  await page.getByLabel("Text beside the logo (RU)", { exact: true }).fill(logoRu);

  const language = page.getByRole("group", { name: "Language" });
  const en = language.getByRole("button", { name: /^en$/i });
  const ru = language.getByRole("button", { name: /^ru$/i });
  const google = page.getByTestId("preview-google");
  await expect(en).toHaveAttribute("aria-pressed", "true");
  await expect(ru).toHaveAttribute("aria-pressed", "false");
  await expect(google).toContainText(descriptionEn);
  await expect(google).not.toContainText(descriptionRu);
  await expect(page.getByTestId("preview-logo-text")).toHaveText(logoEn);

  await ru.click();
  await expect(ru).toHaveAttribute("aria-pressed", "true");
  await expect(en).toHaveAttribute("aria-pressed", "false");
  await expect(google).toContainText(descriptionRu);
  await expect(google).toContainText(logoRu);
  await expect(google).not.toContainText(descriptionEn);
  await expect(page.getByTestId("preview-logo-text")).toHaveText(logoRu);
  // Field labels switch too (the gift card's default "Balance" field).
  await expect(page.getByTestId("preview-apple-front")).toContainText("Баланс");

  // The back of the Apple card carries the description as its title.
  await page.getByRole("group", { name: "Side" }).getByRole("button", { name: "Back" }).click();
  await expect(page.getByTestId("preview-apple-back")).toContainText(descriptionRu);
  await expect(page.getByTestId("preview-apple-front")).toHaveCount(0);

  await en.click();
  await expect(page.getByTestId("preview-apple-back")).toContainText(descriptionEn);
  await expect(google).toContainText(descriptionEn);
});
