import { test, expect } from "@playwright/test";
import { createTemplateViaUi } from "../cards/helpers";
import { alerts, makePng, signUpMerchant, uniqueId } from "../helpers";
import { VIEWPORTS, clickNav, expectNoHorizontalOverflow, shot } from "./helpers";

const png = (name: string, buffer: Buffer) => ({ name, mimeType: "image/png", buffer });

for (const viewport of VIEWPORTS) {
  test.describe(`${viewport.name} (${viewport.width} px)`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("leaving the designer with unsaved changes asks first, and the changes (an uploaded logo too) come back as a draft", async ({ page }) => {
      const merchant = await signUpMerchant(page);
      const template = await createTemplateViaUi(page, `Walk ${uniqueId()}`);
      const editorUrl = `/templates/${template.id}`;
      await expectNoHorizontalOverflow(page, viewport.width);

      // Phone: the kind and version badges sit on one line under the title, the two buttons on one line.
      const kindBadge = page.getByText("Loyalty / discount", { exact: true }).first();
      const versionBadge = page.getByText("version 1", { exact: true });
      expect(Math.abs((await kindBadge.boundingBox())!.y - (await versionBadge.boundingBox())!.y)).toBeLessThan(4);
      const sample = await page.getByTestId("sample-pass").boundingBox();
      const google = await page.getByTestId("google-sample").boundingBox();
      expect(Math.abs(sample!.y - google!.y)).toBeLessThan(4);

      // An upload goes into the unsaved design.
      const slot = page.getByTestId("image-slot-logo");
      await slot.locator("input[type=file]").setInputFiles(png("logo.png", makePng(300, 100)));
      await slot.getByRole("button", { name: "Upload" }).click();
      await expect(slot.locator("img")).toBeVisible();
      const logoText = page.getByLabel("Text beside the logo (EN)", { exact: true });
      const typed = `Draft ${uniqueId()}`.slice(0, 30);
      await logoText.fill(typed);
      await expect(page.getByTestId("unsaved-note")).toBeVisible();

      // The live preview: beside the form on a laptop, behind a button on a phone.
      if (viewport.name === "phone") {
        await expect(page.getByTestId("preview-apple-front")).toHaveCount(0);
        await page.getByTestId("show-preview").click();
        const sheet = page.getByTestId("preview-sheet");
        await expect(sheet.getByTestId("preview-logo-text")).toHaveText(typed);
        await expect(sheet.getByTestId("preview-logo")).toBeVisible();
        await shot(page, "template-editor-390-preview");
        await sheet.getByRole("button", { name: "Back to editing" }).click();
        await expect(sheet).toBeHidden();
        await shot(page, "template-editor-390");
      } else {
        await expect(page.getByTestId("show-preview")).toHaveCount(0);
        await expect(page.getByTestId("preview-logo-text")).toHaveText(typed);
        await shot(page, "template-editor-1366");
      }
      await expectNoHorizontalOverflow(page, viewport.width);

      // A navigation link asks; staying keeps everything.
      const leave = page.getByRole("dialog", { name: "Leave without saving?" });
      await clickNav(page, viewport, "Cards");
      await expect(leave).toBeVisible();
      await leave.getByRole("button", { name: "Stay and save" }).click();
      await expect(leave).toBeHidden();
      await expect(page).toHaveURL(new RegExp(`${editorUrl}$`));
      await expect(logoText).toHaveValue(typed);

      // So does the Back button.
      await page.goBack();
      await expect(leave).toBeVisible();
      await leave.getByRole("button", { name: "Stay and save" }).click();
      await expect(page).toHaveURL(new RegExp(`${editorUrl}$`));
      await expect(logoText).toHaveValue(typed);

      // Leaving for real, then coming back: the draft, logo included, is offered back.
      await clickNav(page, viewport, "Cards");
      await leave.getByRole("button", { name: "Leave" }).click();
      await expect(page).toHaveURL(/\/cards$/);
      await page.goto(editorUrl);
      await expect(page.getByTestId("draft-restored")).toBeVisible();
      await expect(logoText).toHaveValue(typed);
      await expect(page.getByTestId("image-slot-logo").locator("img")).toBeVisible();

      // Closing or reloading the tab gets the browser's own question (Chrome asks only once the page was
      // touched); going ahead, the draft survives the reload too.
      await logoText.click();
      const asked = new Promise<string>((resolve) => page.once("dialog", (d) => (resolve(d.type()), void d.accept())));
      await page.reload();
      expect(await asked).toBe("beforeunload");
      await expect(page.getByTestId("draft-restored")).toBeVisible();
      await expect(logoText).toHaveValue(typed);

      // Discarding returns to the saved version, and then nothing asks.
      await page.getByRole("button", { name: "Discard changes" }).click();
      await expect(logoText).toHaveValue(merchant.organisation);
      await expect(page.getByTestId("image-slot-logo").locator("img")).toHaveCount(0);
      await expect(page.getByTestId("unsaved-note")).toHaveCount(0);
      await clickNav(page, viewport, "Cards");
      await expect(page).toHaveURL(/\/cards$/);
      await expect(alerts(page)).toHaveCount(0);
      await page.goto(editorUrl);
      await expect(page.getByTestId("draft-restored")).toHaveCount(0);
      await expect(logoText).toHaveValue(merchant.organisation);
    });

    test("the icon slot asks for PNG and its refusal says PNG", async ({ page }) => {
      await signUpMerchant(page);
      await createTemplateViaUi(page, `Icon ${uniqueId()}`);
      const slot = page.getByTestId("image-slot-icon");
      await expect(slot).toContainText("PNG,");
      await slot.locator("input[type=file]").setInputFiles({ name: "icon.png", mimeType: "image/png", buffer: Buffer.from("not an image at all") });
      await slot.getByRole("button", { name: "Upload" }).click();
      await expect(page.getByTestId("image-error-icon")).toHaveText("Upload a PNG image.");
    });
  });
}
