import { test, expect } from "@playwright/test";
import { signUpMerchant } from "../helpers";
import { createTemplateViaUi, issueCardViaUi, uniquePhone } from "./helpers";

for (const { name, viewport } of [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone (390 px)", viewport: { width: 390, height: 844 } },
]) {
  test.describe(name, () => {
    test.use({ viewport });

    test("a second card of a template to the same phone is a warning with the existing card, and is issued only on purpose", async ({ page }) => {
      await signUpMerchant(page);
      const club = await createTemplateViaUi(page, "Club card");
      const phone = uniquePhone();
      const first = await issueCardViaUi(page, { template: club.name, phone, name: "Anna" });
      const number = (await page.getByRole("heading", { name: /^Card / }).textContent())!.replace(/^Card /, "").trim();

      // The same phone in another form, the same template: nothing is issued, the existing card is offered.
      await page.goto("/cards/new");
      await page.getByLabel("Template").selectOption({ label: club.name });
      await page.getByLabel("Phone").fill(`8 ${phone.slice(2, 5)} ${phone.slice(5)}`);
      await page.getByLabel("Name", { exact: true }).fill("Anna again");
      await page.getByRole("button", { name: "Issue the card" }).click();
      const notice = page.getByTestId("card-exists");
      await expect(notice).toContainText("This phone already has a card of this template");
      await expect(notice).toContainText(number);
      await expect(page).toHaveURL(/\/cards\/new$/);
      await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Anna again");
      // Nothing sticks out of a phone's screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

      // Open the existing card from the notice.
      await notice.getByRole("link", { name: `Open card ${number}` }).click();
      await expect(page).toHaveURL(new RegExp(`/cards/${first.id}$`));

      // Back on the form: ticking the box issues a second card on purpose.
      await page.goBack();
      await page.getByLabel("Template").selectOption({ label: club.name });
      await page.getByLabel("Phone").fill(phone);
      await page.getByRole("button", { name: "Issue the card" }).click();
      await expect(page.getByTestId("card-exists")).toBeVisible();
      await page.getByLabel("Issue another card anyway").check();
      await page.getByRole("button", { name: "Issue the card" }).click();
      await expect(page).toHaveURL(/\/cards\/[0-9a-f-]{36}\?issued=1$/);
      expect(page.url()).not.toContain(first.id);

      // Both cards are there, found by the phone.
      await page.goto(`/cards?q=${encodeURIComponent(phone.slice(-7))}`);
      await expect(page.getByTestId("card-row")).toHaveCount(2);
    });
  });
}
