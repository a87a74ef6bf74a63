import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signUpMerchant, uniqueId } from "../helpers";
import { createTemplateViaUi, issueCardViaUi } from "./helpers";

// Issue 11, the cabinet: a points programme set up in the template's Loyalty tab, a purchase made by a
// till through the POS API, and the card page's Points section showing it and reversing it.

/** Creates an API key a till would use (pos:write) through the settings page; returns its secret. */
async function createTillKey(page: Page, name: string): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("checkbox", { name: /Work at the till/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const field = page.getByTestId("api-key-secret").getByLabel("API key");
  await expect(field).toHaveValue(/^cd_[\w-]{43}$/);
  return field.inputValue();
}

for (const width of [1366, 390]) {
  test(`points at ${width} px: a programme in the Loyalty tab, a purchase through the API, the card page's Points, a reversal`, async ({ page }) => {
    // A long flow (sign-up, a template, its programme, a purchase, a reversal): a slow CI machine took 58 s of the default 60.
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: width > 1000 ? 900 : 844 });
    await signUpMerchant(page);
    const template = await createTemplateViaUi(page);

    // The pass shows the card's level: a field for it.
    await page.getByRole("tab", { name: "Fields", exact: true }).click();
    await page.getByRole("region", { name: "Auxiliary fields" }).getByRole("button", { name: "Add field" }).click();
    await page.getByTestId("field-auxiliary-0").getByLabel("Value", { exact: true }).selectOption({ label: "Level (cumulative discount)" });

    // The Loyalty tab: a cumulative discount with levels; wrong values are explained as they are typed.
    await page.getByRole("tab", { name: "Loyalty", exact: true }).click();
    const tab = page.getByTestId("loyalty-tab");
    await tab.getByRole("radio", { name: /Cumulative discount/ }).check();
    const levels = tab.getByTestId("loyalty-level");
    await expect(levels).toHaveCount(3);
    const silver = levels.nth(1);
    await expect(silver.getByLabel("Name")).toHaveValue("Silver");
    await silver.getByLabel("From a total of (RUB)").fill("0");
    await expect(silver.getByText("Each level needs a larger total of purchases than the one before it.")).toBeVisible();
    await silver.getByLabel("From a total of (RUB)").fill("1 000");
    await expect(silver.getByText("Each level needs a larger total of purchases than the one before it.")).toHaveCount(0);
    const earn = tab.getByLabel("Earn rate", { exact: true });
    await earn.fill("150");
    await expect(tab.getByText("A whole percentage from 0 to 100.")).toBeVisible();
    await expect(earn).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("loyalty-example")).toContainText("Correct the fields marked in red");
    await earn.fill("10");
    await tab.getByLabel("One point pays").fill("0.50");
    await expect(page.getByTestId("loyalty-example")).toContainText("earns 200 points");
    await tab.getByLabel("Points expire").selectOption({ label: "A number of days after they were earned" });
    await tab.getByLabel("Days after earning").fill("30");
    if (width < 500) await tab.screenshot({ path: test.info().outputPath("loyalty-390.png") });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Saved as version 2.", { exact: true })).toBeVisible();

    const keyName = `Till ${uniqueId()}`;
    const secret = await createTillKey(page, keyName);
    const { id: cardId } = await issueCardViaUi(page, { template: template.name, name: "Pavel Points" });

    // A till sends a receipt of 1,500 roubles: 10 % of it at half a rouble a point is 300 points, and
    // the total of purchases reaches Silver (from 1,000).
    const auth = { authorization: `Bearer ${secret}` };
    const purchase = await page.request.post(`/api/v1/cards/${cardId}/transactions`, {
      headers: { ...auth, "idempotency-key": randomUUID() },
      data: { type: "purchase", amount: 150_000, receipt: "A-1029" },
    });
    expect(purchase.status(), await purchase.text()).toBe(201);
    expect(await purchase.json()).toMatchObject({ type: "purchase", accrued: 300, balanceAfter: 300, receipt: "A-1029" });

    await page.goto(`/cards/${cardId}`);
    const points = page.getByTestId("points-section");
    await expect(points.getByTestId("points-balance")).toHaveText("300");
    const row = points.getByTestId("points-row").filter({ hasText: "Purchase" });
    await expect(row).toContainText("+300");
    await expect(row).toContainText("receipt A-1029");
    await expect(row).toContainText(`API key “${keyName}”`);
    await expect(row).toContainText("balance 300");
    await expect(points.getByTestId("points-level")).toContainText("Silver: 5 % discount");
    // Earned points expire 30 days on: the section says when.
    const inThirty = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString("en-US", { dateStyle: "medium" });
    await expect(points.getByTestId("points-expiring")).toHaveText(`300 on ${inThirty}`);
    await expect(points.getByTestId("points-level")).toContainText("RUB 48,500.00 more to the next level");
    // The pass preview shows the balance the ledger left and the level.
    await expect(page.getByTestId("preview-primary")).toContainText("300");
    await expect(page.getByTestId("preview-apple-front")).toContainText("Silver");

    // A double click on Accrue posts once.
    const post = points.getByTestId("points-post-form");
    await post.getByLabel("Points", { exact: true }).fill("40");
    await post.getByRole("button", { name: "Accrue" }).dblclick();
    await expect(post.getByRole("status")).toContainText("the balance is now 340");
    await expect(points.getByTestId("points-balance")).toHaveText("340");
    await expect(points.locator('[data-testid="points-row"][data-type="accrue"]')).toHaveCount(1);

    // Too much to redeem: told inline, with the balance.
    await post.getByLabel("Points", { exact: true }).fill("1000");
    await post.getByRole("button", { name: "Redeem" }).click();
    await expect(post.getByRole("alert")).toHaveText("Not enough points: the balance is 340.");
    await expect(points.getByTestId("points-balance")).toHaveText("340");

    // Reverse the purchase, asked first; in part (500 roubles refunded of 1,500), then the rest.
    await row.getByRole("button", { name: "Reverse: Purchase +300" }).click();
    let dialog = page.getByRole("dialog", { name: "Reverse Purchase +300?" });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel("Amount refunded").fill("500");
    await dialog.getByRole("button", { name: "Reverse" }).click();
    await expect(dialog).toBeHidden();
    await expect(points.getByTestId("points-balance")).toHaveText("240");
    // The refusal told of a balance that has changed since: it is gone.
    await expect(post.getByRole("alert")).toHaveCount(0);
    await expect(points.locator('[data-testid="points-row"][data-type="reversal"]')).toContainText("−100");

    await row.getByRole("button", { name: "Reverse: Purchase +300" }).click();
    dialog = page.getByRole("dialog", { name: "Reverse Purchase +300?" });
    await expect(dialog).toContainText("Left to refund: RUB 1,000.00");
    await dialog.getByLabel("Reason (optional)").fill("customer returned the goods");
    await dialog.getByRole("button", { name: "Reverse" }).click();
    await expect(dialog).toBeHidden();
    await expect(points.getByTestId("points-balance")).toHaveText("40");
    await expect(points.locator('[data-testid="points-row"][data-type="reversal"]').first()).toContainText("customer returned the goods");
    // Nothing is left to reverse: the button is gone.
    await expect(row.getByRole("button", { name: /^Reverse/ })).toHaveCount(0);
    await expect(page.getByTestId("preview-primary")).toContainText("40");
    // Refunded in full, the total of purchases is back to 0: the first level again.
    await expect(points.getByTestId("points-level")).toContainText("Base: 3 % discount");
    await expect(page.getByTestId("preview-apple-front")).toContainText("Base");

    // A manager's adjustment, with the reason it needs.
    await points.getByText("Adjust the balance (with a reason)").click();
    const adjust = points.getByTestId("points-adjust-form");
    await adjust.getByLabel("Points, + or −").fill("-15");
    await adjust.getByRole("button", { name: "Adjust" }).click();
    await expect(adjust.getByText("This field is required.")).toBeVisible();
    await adjust.getByLabel("Reason").fill("damaged card goodwill");
    // A double click adjusts once: the form's key makes the second submission the first one's answer.
    await adjust.getByRole("button", { name: "Adjust" }).dblclick();
    await expect(points.getByTestId("points-balance")).toHaveText("25");
    await expect(points.locator('[data-testid="points-row"][data-type="adjust"]')).toHaveCount(1);
    await expect(points.locator('[data-testid="points-row"][data-type="adjust"]')).toContainText("damaged card goodwill");
    // The values form shows the balance but does not let it be typed: it moves only through the ledger.
    const valuesForm = page.getByTestId("card-values-form");
    await expect(valuesForm.getByTestId("card-balance")).toHaveText("25");
    await expect(valuesForm.getByRole("textbox", { name: "Balance" })).toHaveCount(0);

    if (width < 500) {
      // Nothing runs off a phone's screen; the section is looked at.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await points.screenshot({ path: test.info().outputPath("points-390.png") });
    }
  });
}

test("the reverse dialog works from the keyboard", async ({ page }) => {
  await signUpMerchant(page);
  const template = await createTemplateViaUi(page);
  const { id } = await issueCardViaUi(page, { template: template.name });
  await page.goto(`/cards/${id}`);
  const points = page.getByTestId("points-section");
  const amount = points.getByTestId("points-post-form").getByLabel("Points", { exact: true });
  await amount.fill("70");
  await amount.press("Enter");
  await expect(points.getByTestId("points-balance")).toHaveText("70");
  const reverse = points.getByRole("button", { name: "Reverse: Accrual +70" });
  await reverse.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Reverse Accrual +70?" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await reverse.focus();
  await page.keyboard.press("Enter");
  await dialog.getByLabel("Points to reverse").fill("20");
  await dialog.getByLabel("Points to reverse").press("Enter");
  await expect(dialog).toBeHidden();
  await expect(points.getByTestId("points-balance")).toHaveText("50");
});

test("stamps: the programme in a stamp template's Loyalty tab, stamps and a reward through the API, the row on the card page and the public page", async ({
  page,
}) => {
  // As long a flow as the points one above.
  test.setTimeout(120_000);
  await signUpMerchant(page);
  const template = await createTemplateViaUi(page, undefined, "Stamp card");
  await page.getByRole("tab", { name: "Loyalty", exact: true }).click();
  const tab = page.getByTestId("stamps-tab");
  const goal = tab.getByLabel("Stamps to the reward");
  await goal.fill("25");
  await expect(tab.getByText("Between 1 and 20 stamps.")).toBeVisible();
  await goal.fill("3");
  await tab.getByRole("radio", { name: /A purchase from an amount/ }).check();
  await tab.getByLabel("Smallest purchase for a stamp").fill("300");
  await expect(page.getByTestId("stamps-example")).toContainText("A purchase of RUB 300.00 or more adds a stamp; after 3 stamps");
  // The live preview draws a row of the goal's stamps.
  await expect(page.getByTestId("preview-apple-front").getByTestId("stamp-row").first()).toHaveAttribute("data-goal", "3");
  await page.screenshot({ path: test.info().outputPath("stamps-tab.png"), fullPage: true });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved as version 2.", { exact: true })).toBeVisible();

  const secret = await createTillKey(page, `Till ${uniqueId()}`);
  const { id: cardId } = await issueCardViaUi(page, { template: template.name, name: "Stella Stamps" });
  const auth = { authorization: `Bearer ${secret}` };
  const post = (data: Record<string, unknown>) =>
    page.request.post(`/api/v1/cards/${cardId}/transactions`, { headers: { ...auth, "idempotency-key": randomUUID() }, data });
  expect(await (await post({ type: "purchase", amount: 29_999 })).json()).toMatchObject({ accrued: 0, balanceAfter: 0 });
  expect(await (await post({ type: "purchase", amount: 30_000 })).json()).toMatchObject({ accrued: 1, balanceAfter: 1 });
  expect(await (await post({ type: "accrue", points: 3 })).json()).toMatchObject({ balanceAfter: 4 });

  await page.goto(`/cards/${cardId}`);
  // Four stamps at a goal of three: one reward ready and one stamp in the row again.
  const row = page.getByTestId("preview-apple-front").getByTestId("stamp-row").first();
  await expect(row).toHaveAttribute("data-count", "1");
  await expect(row).toHaveAttribute("data-rewards", "1");
  await expect(row).toContainText("+1 reward");
  await expect(page.getByTestId("points-section").getByTestId("points-stamps")).toContainText("1 of 3 in the row · 1 reward ready");
  await page.screenshot({ path: test.info().outputPath("stamp-card-page.png"), fullPage: true });
  const cardNumber = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Card ", "");
  const looked = await page.request.get(`/api/v1/pos/lookup?code=${cardNumber}`, { headers: auth });
  expect(await looked.json()).toMatchObject({ balance: 4, stamps: { collected: 1, goal: 3, rewards: 1 }, redeemable: { maxPoints: 3 } });

  // Taking the reward spends its three stamps; the public page then shows the row without a reward.
  expect((await post({ type: "redeem", points: 3 })).status()).toBe(201);
  const publicHref = (await page.getByTestId("public-link").getAttribute("href"))!;
  await page.goto(publicHref);
  const publicRow = page.getByTestId("card-face").getByTestId("stamp-row");
  await expect(publicRow).toHaveAttribute("data-count", "1");
  await expect(publicRow).toHaveAttribute("data-rewards", "0");
});
