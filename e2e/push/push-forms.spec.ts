import { test, expect } from "@playwright/test";
import { makePng, signUpMerchant } from "../helpers";
import { createTemplateViaUi } from "../cards/helpers";

const png = (name: string, buffer: Buffer) => ({ name, mimeType: "image/png", buffer });

/** A `datetime-local` value `minutes` ahead of now, in the merchant's zone (new merchants are in Europe/Moscow). */
function moscowInput(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Moscow", dateStyle: "short", timeStyle: "short" }).format(at).replace(" ", "T");
}

test("a promotion overrides several fields and uploads its strip image in the form; the saved event shows them", async ({ page }) => {
  test.setTimeout(90_000);
  await signUpMerchant(page);
  const template = await createTemplateViaUi(page);

  await page.goto("/push-events");
  await page.getByRole("link", { name: "New promotion" }).click();
  await page.getByLabel("Name").fill("Two fields");
  await page.getByLabel(template.name).check();
  const rows = page.getByTestId("promotion-field-row");
  await expect(rows).toHaveCount(1);
  await rows.nth(0).getByLabel("Field to change").fill("name");
  await rows.nth(0).getByLabel("Its label").fill("Guest");
  await page.getByTestId("promotion-add-field").click();
  await page.getByTestId("promotion-add-field").click();
  await expect(rows).toHaveCount(3);
  await rows.nth(1).getByLabel("Field to change").fill("number");
  await rows.nth(1).getByLabel("Its value").fill("VIP");
  await rows.nth(2).getByRole("button", { name: "Remove" }).click();
  await expect(rows).toHaveCount(2);

  // The strip goes through the template designer's upload, inside this form.
  const slot = page.getByTestId("image-slot-strip");
  const upload = slot.getByRole("button", { name: "Upload" });
  await expect(upload).toBeDisabled();
  await slot.locator("input[type=file]").setInputFiles(png("strip.png", makePng(750, 246)));
  await upload.click();
  await expect(slot.locator("img")).toBeVisible();
  // Uploading did not submit the promotion.
  await expect(page).toHaveURL(/\/push-events\/new/);

  await page.getByLabel("Start").fill(moscowInput(60));
  await page.getByLabel("End").fill(moscowInput(120));

  // The same field in two rows is refused on the second row, not merged.
  await rows.nth(1).getByLabel("Field to change").fill("name");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(rows.nth(1)).toContainText("This field key is given twice: give each field once.");
  await expect(page).toHaveURL(/\/push-events\/new/);
  // What was sent stays in the form: the type and the template's box too.
  await expect(page.getByLabel("Type")).toHaveValue("promotion");
  await expect(page.getByLabel(template.name)).toBeChecked();
  await rows.nth(1).getByLabel("Field to change").fill("number");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/push-events\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("push-event-state")).toHaveText("Scheduled");
  // Still scheduled, so its form shows what was saved: both rows and the strip.
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByLabel("Field to change")).toHaveValue("name");
  await expect(rows.nth(0).getByLabel("Its label")).toHaveValue("Guest");
  await expect(rows.nth(1).getByLabel("Field to change")).toHaveValue("number");
  await expect(rows.nth(1).getByLabel("Its value")).toHaveValue("VIP");
  await expect(page.getByTestId("image-slot-strip").locator("img")).toBeVisible();
});

test("a trigger rule is edited in place: new text, paused", async ({ page }) => {
  await signUpMerchant(page);
  await page.goto("/push-events");
  await page.getByLabel("When").selectOption("welcome");
  await page.getByLabel("Message").fill("Welcome aboard");
  await page.getByRole("button", { name: "Add rule" }).click();
  const list = page.getByTestId("trigger-rules");
  await expect(list).toContainText("Welcome aboard");

  await list.getByRole("button", { name: "Edit" }).click();
  const form = page.locator("[data-testid^=trigger-edit-]").filter({ has: page.getByRole("button", { name: "Save rule" }) });
  await expect(form.getByLabel("Message")).toHaveValue("Welcome aboard");
  await form.getByLabel("Message").fill("Welcome, friend");
  await form.getByLabel("On").uncheck();
  await form.getByRole("button", { name: "Save rule" }).click();
  await expect(list).toContainText("Welcome, friend");
  await expect(list).toContainText("(off)");
  await expect(list).not.toContainText("Welcome aboard");
});
