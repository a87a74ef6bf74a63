import { test, expect } from "@playwright/test";
import { alerts, newPerson, signUpMerchant } from "../helpers";
import { createTemplateViaUi, issueCardViaUi, uniquePhone } from "./helpers";

test("issue a card, find it, edit it, block and unblock, move it, and delete it", async ({ page, browser }) => {
  // A whole card's life through the UI, two merchants signing up on the way: longer than one page's test.
  test.setTimeout(180_000);
  await signUpMerchant(page);
  await page.goto("/cards");
  await expect(page.getByRole("heading", { name: "No cards yet" })).toBeVisible();
  const coffee = await createTemplateViaUi(page, "Coffee card");
  const gold = await createTemplateViaUi(page, "Gold card");

  // A wrong phone is refused next to the field, and what was typed stays.
  await page.goto("/cards/new");
  await page.getByLabel("Template").selectOption({ label: coffee.name });
  await page.getByLabel("Phone").fill("12345");
  await page.getByLabel("Name", { exact: true }).fill("Anna Petrova");
  await page.getByRole("button", { name: "Issue the card" }).click();
  await expect(page.getByText("Enter a valid phone number, e.g. +7 916 123-45-67.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Anna Petrova");
  // The chosen template survives the refusal too (it is not the list's first one).
  await expect(page.getByLabel("Template")).toHaveValue(coffee.id);

  const phone = uniquePhone();
  const { id } = await issueCardViaUi(page, { template: coffee.name, phone: `8 ${phone.slice(2, 5)} ${phone.slice(5)}`, name: "Anna Petrova", balance: "150" });
  await expect(page.getByTestId("card-status")).toHaveAttribute("data-status", "issued");
  await expect(page.getByTestId("preview-apple-front")).toContainText("150");
  await expect(page.getByTestId("card-event").first()).toHaveAttribute("data-type", "card.issued");

  // Found by phone in another form, by name, and filtered by template.
  await page.goto("/cards");
  await page.getByRole("searchbox").fill(phone.slice(-7));
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByTestId("card-row")).toHaveCount(1);
  await page.getByRole("searchbox").fill("anna petr");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByTestId("card-row")).toHaveCount(1);
  await page.getByRole("searchbox").fill("nobody-like-this");
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page.getByRole("heading", { name: "No cards match" })).toBeVisible();

  // The balance is not typed into the values: it moves through the ledger, by an adjustment with a reason.
  await page.goto(`/cards/${id}`);
  await expect(page.getByTestId("card-values-form").getByLabel("Balance")).toHaveCount(0);
  const points = page.getByTestId("points-section");
  await points.getByText("Adjust the balance (with a reason)").click();
  const adjust = points.getByTestId("points-adjust-form");
  await adjust.getByLabel("Points, + or −").fill("125");
  await adjust.getByLabel("Reason").fill("moved from the plastic card");
  await adjust.getByRole("button", { name: "Adjust" }).click();
  await expect(points.getByTestId("points-balance")).toContainText("275");
  await expect(page.getByTestId("preview-apple-front")).toContainText("275");
  await expect(page.getByTestId("card-event").first()).toHaveAttribute("data-type", "points.adjusted");
  await expect(page.getByTestId("card-event").first()).toContainText("125 points · balance 275");
  // A fresh page: the adjustment's own "adjusted" note is not the status the steps below wait for.
  await page.reload();

  // Block on loss (asked first), then the public page says so; unblock again.
  await page.getByRole("button", { name: "Block (lost)" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("becomes void");
  await dialog.getByRole("button", { name: "Block" }).click();
  await expect(page.getByTestId("card-status")).toHaveAttribute("data-status", "blocked");
  await expect(page.getByTestId("preview-voided")).toBeVisible();
  const publicHref = (await page.getByTestId("public-link").getAttribute("href"))!;
  const customer = await newPerson(browser);
  await customer.page.goto(publicHref);
  await expect(customer.page.getByTestId("card-blocked")).toBeVisible();
  await expect(customer.page.getByTestId("add-apple")).toHaveCount(0);
  await page.getByRole("button", { name: "Unblock" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Unblock" }).click();
  await expect(page.getByTestId("card-status")).toHaveAttribute("data-status", "issued");
  await customer.page.reload();
  await expect(customer.page.getByTestId("add-apple")).toBeVisible();
  await expect(customer.page.getByTestId("add-google")).toBeVisible();

  // Another merchant cannot open this card.
  const other = await newPerson(browser);
  await signUpMerchant(other.page);
  const foreign = await other.page.goto(`/cards/${id}`);
  expect(foreign?.status()).toBe(404);
  expect((await other.page.request.get(`/api/cards/${id}/pass`)).status()).toBe(404);

  // Move keeps the number and values.
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Card ", "");
  await page.getByLabel("Move to template").selectOption({ label: gold.name });
  await page.getByRole("button", { name: "Move", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("moved");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Card ${number}`);
  await expect(page.getByText(`${gold.name} · Anna Petrova`)).toBeVisible();
  await expect(page.getByTestId("card-values-form").getByTestId("card-balance")).toHaveText("275");

  // Delete, confirmed first.
  await page.getByRole("button", { name: "Delete the card" }).click();
  await expect(page.getByRole("dialog")).toContainText("cannot be undone");
  await page.getByRole("dialog").getByRole("button", { name: "Delete for good" }).click();
  await expect(page).toHaveURL(/\/cards\?deleted=1$/);
  await expect(page.getByRole("status")).toContainText("The card was deleted.");
  await expect(page.getByRole("heading", { name: "No cards yet" })).toBeVisible();
  await expect(alerts(page)).toHaveCount(0);
  await customer.context.close();
  await other.context.close();
});

test("the card page and the public card page work on a phone-sized screen", async ({ page }) => {
  await signUpMerchant(page);
  await createTemplateViaUi(page);
  const { id } = await issueCardViaUi(page, { name: "Mobile Person" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/cards/${id}`);
  await expect(page.getByTestId("preview-apple-front")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const publicHref = (await page.getByTestId("public-link").getAttribute("href"))!;
  await page.goto(publicHref);
  await expect(page.getByTestId("add-apple")).toBeVisible();
  const pass = await page.request.get(`${publicHref}/pass`);
  expect(pass.status()).toBe(200);
  expect(pass.headers()["content-type"]).toBe("application/vnd.apple.pkpass");
  const google = await page.request.get(`${publicHref}/google`, { maxRedirects: 0 });
  expect(google.status()).toBe(302);
  expect(google.headers()["location"]).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
});
