import { test, expect, type Page } from "@playwright/test";
import { createTemplateViaUi, issueCardViaUi, uniquePhone } from "../cards/helpers";
import { newPerson, readOutbox, signUpMerchant } from "../helpers";
import { VIEWPORTS, expectNoHorizontalOverflow } from "./helpers";

async function askForCode(page: Page, phone: string) {
  await page.getByLabel("Phone number").fill(phone);
  await page.getByRole("button", { name: "Get a code" }).click();
  await expect(page.getByTestId("code-step")).toBeVisible();
}

const codesTo = async (page: Page, phone: string) => {
  const { messages } = (await (await readOutbox(page.request, phone)).json()) as { messages: { kind: string }[] };
  return messages.filter((m) => m.kind === "code").length;
};

for (const viewport of VIEWPORTS) {
  test.describe(`${viewport.name} (${viewport.width} px)`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("turning on cards on request: a refusal keeps the tick, saving with a template really opens the page", async ({ page, browser }) => {
      await signUpMerchant(page);
      const template = await createTemplateViaUi(page);
      await page.goto("/settings/customer-page");
      await expect(page.getByTestId("enrolment-status")).toContainText("customers can only sign in");
      const tick = page.getByLabel(/Let customers get a card/);
      await tick.check();
      await page.getByRole("button", { name: "Save" }).click();
      await expect(page.getByText("Choose one of your templates.")).toBeVisible();
      // The refusal used to clear the tick, so the next save turned enrolment off.
      await expect(tick).toBeChecked();

      await page.getByLabel("Template of the cards they get").selectOption({ label: template.name });
      await page.getByRole("button", { name: "Save" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
      await expect(tick).toBeChecked();
      await expect(page.getByTestId("enrolment-status")).toContainText("customers can get a card on your page");
      await page.reload();
      await expect(page.getByLabel(/Let customers get a card/)).toBeChecked();
      await expect(page.getByLabel("Template of the cards they get")).toHaveValue(template.id);
      await expectNoHorizontalOverflow(page, viewport.width);

      const url = (await page.getByTestId("customer-page-url").textContent())!;
      const customer = await newPerson(browser);
      await customer.page.setViewportSize({ width: viewport.width, height: viewport.height });
      await customer.page.goto(new URL(url).pathname);
      await expect(customer.page.getByTestId("join-link")).toBeVisible();
      // Where anyone may get a card, a code goes to any phone, so saying it was sent is true.
      await askForCode(customer.page, uniquePhone());
      await expect(customer.page.getByTestId("code-sent-note")).toContainText("We sent a 6-digit code");
      await customer.context.close();
    });

    test("with cards on request off, the code step says the same to a card holder and a stranger, and what to do without a card", async ({ page, browser }) => {
      await signUpMerchant(page);
      await createTemplateViaUi(page);
      const holder = await issueCardViaUi(page, { name: "Card Holder" });
      await page.goto("/settings/customer-page");
      const url = (await page.getByTestId("customer-page-url").textContent())!;
      const stranger = uniquePhone();

      const notes: string[] = [];
      for (const phone of [holder.phone, stranger]) {
        const customer = await newPerson(browser);
        await customer.page.setViewportSize({ width: viewport.width, height: viewport.height });
        await customer.page.goto(new URL(url).pathname);
        await expect(customer.page.getByTestId("join-link")).toHaveCount(0);
        await askForCode(customer.page, phone);
        const note = customer.page.getByTestId("code-sent-note");
        await expect(note).toContainText("has a card here, a 6-digit code is on its way");
        await expect(note).toContainText("No card yet? Ask at the till");
        await expect(note).not.toContainText("We sent");
        await expectNoHorizontalOverflow(customer.page, viewport.width);
        notes.push((await note.innerText()).replace(/\+\d[\d\s()-]+\d/g, "<phone>"));
        await customer.context.close();
      }
      expect(notes[0]).toBe(notes[1]);
      // The holder really gets a code; the stranger gets nothing (the answer above told neither).
      await expect.poll(() => codesTo(page, holder.phone), { timeout: 20_000 }).toBe(1);
      expect(await codesTo(page, stranger)).toBe(0);
    });

    test("a customer's 404 leads to their cards, not to a dashboard", async ({ page }) => {
      const response = await page.goto("/m/no-such-shop-anywhere");
      expect(response?.status()).toBe(404);
      await expect(page.getByTestId("customer-not-found")).toBeVisible();
      await expect(page.getByRole("link", { name: "See my cards" })).toHaveAttribute("href", "/my");
      await expect(page.getByText(/dashboard/i)).toHaveCount(0);
      await expectNoHorizontalOverflow(page, viewport.width);
    });
  });
}
