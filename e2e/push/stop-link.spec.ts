import { test, expect } from "@playwright/test";
import { newPerson, seedMerchant, uniqueId } from "../helpers";
import { lastSms } from "../customers/helpers";

test("SMS news carries a stop link: opening it changes nothing, its button stops the news at once; a link that is not one says so", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const phone = `+7999${String(Date.now()).slice(-7)}`;
  const { seeded } = await seedMerchant(page, { cards: [{ phone, name: "News Reader", marketingConsent: true }] });
  expect(seeded.templateId).toBeTruthy();

  const name = `Sale ${uniqueId()}`;
  await page.goto("/push-events/new?type=sms");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Message").fill("Two coffees for one on Sunday");
  await page.getByLabel("Club card").check();
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/push-events\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("push-event-state")).toHaveText("Finished", { timeout: 60_000 });

  const sms = await lastSms(page.request, phone, "card");
  expect(sms).toContain("Two coffees for one on Sunday");
  const link = /https?:\/\/\S+(\/u\/[A-Za-z0-9_-]{30})/.exec(sms)?.[1];
  expect(link, sms).toBeTruthy();

  // The customer's phone: a browser of its own, on a phone-sized screen.
  const customer = await newPerson(browser);
  await customer.page.setViewportSize({ width: 390, height: 844 });
  await customer.page.goto(link!);
  await expect(customer.page.getByRole("heading", { name: /Stop SMS news from/ })).toBeVisible();
  await customer.page.getByTestId("unsubscribe-button").click();
  await expect(customer.page.getByTestId("unsubscribe-done")).toBeVisible();

  // The next news does not go to that phone.
  await page.goto("/push-events/new?type=sms");
  await page.getByLabel("Name").fill(`${name} again`);
  await page.getByLabel("Message").fill("Second news");
  await page.getByLabel("Club card").check();
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByTestId("push-event-state")).toHaveText("Finished", { timeout: 60_000 });
  expect(await lastSms(page.request, phone, "card")).toBe(sms);

  // A link that names nobody.
  await customer.page.goto(`/u/${"A".repeat(30)}`);
  await expect(customer.page.getByRole("alert").filter({ hasText: "This link is not valid." })).toBeVisible();
  await customer.context.close();
});
