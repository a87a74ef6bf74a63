import { readFile } from "node:fs/promises";
import { test, expect } from "@playwright/test";
import { newPerson, seedMerchant } from "../helpers";
import { uniquePhone } from "../cards/helpers";
import { lastCode, signInAtMy } from "../customers/helpers";

test("invite a friend: the inviter's link on /my, the friend enrols through it, the merchant sees the referral and the inviter gets the points", async ({
  page,
  browser,
}) => {
  const inviterPhone = uniquePhone();
  const { seeded } = await seedMerchant(page, {
    cards: [{ phone: inviterPhone, name: "Ivan Inviter" }],
    referral: { inviterBonus: 100, friendBonus: 20, on: "used" },
  });

  // The merchant's referrals list starts empty, and says what will appear there.
  await page.goto("/forms");
  await page.getByRole("link", { name: "Referrals" }).click();
  await expect(page.getByRole("heading", { name: "No referrals yet" })).toBeVisible();

  // The inviter finds their personal link on their own page, at 390 px, with the terms.
  const inviter = await newPerson(browser);
  await inviter.page.setViewportSize({ width: 390, height: 844 });
  await signInAtMy(inviter.page, inviterPhone);
  const invite = inviter.page.getByTestId("invite-friend");
  await expect(invite).toContainText("when your friend first uses their new card, you get 100 points and they get 20");
  const link = (await invite.getByTestId("invite-link").textContent())!;
  expect(link).toContain(`/f/${seeded.formToken}?ref=`);
  expect(await inviter.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The friend opens it on their phone and enrols with a code.
  const friend = await newPerson(browser);
  await friend.page.setViewportSize({ width: 390, height: 844 });
  await friend.page.goto(new URL(link).pathname + new URL(link).search);
  await expect(friend.page.getByTestId("form-title")).toHaveText("Join the club");
  const friendPhone = uniquePhone();
  await friend.page.getByLabel("Phone number").fill(friendPhone);
  await friend.page.getByRole("button", { name: "Get a code" }).click();
  await expect(friend.page.getByTestId("code-step")).toBeVisible();
  await friend.page.getByLabel("Code from the SMS").fill(await lastCode(friend.page.request, friendPhone));
  await friend.page.getByLabel("Your name").fill("Fiona Friend");
  await friend.page.getByRole("button", { name: "Get my card" }).click();
  await expect(friend.page.getByText("Your card is ready: add it to your wallet below.")).toBeVisible();
  const friendNumber = await friend.page.getByTestId("customer-card").getAttribute("data-number");

  // The merchant sees who invited whom, waiting for the friend's card to be used.
  await page.reload();
  const row = page.getByTestId("referral-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Ivan Inviter");
  await expect(row).toContainText("Fiona Friend");
  await expect(row).toContainText("100 to the inviter, 20 to the friend");
  await expect(row).toContainText("Waiting for the friend's card");

  // The friend's first purchase (points accrued at the counter) makes the rewards due; the job pays them once.
  await row.getByRole("link", { name: friendNumber! }).click();
  const post = page.getByTestId("points-post-form");
  await post.getByLabel("Points", { exact: true }).fill("5");
  await post.getByRole("button", { name: "Accrue" }).click();
  await expect(post.getByRole("status")).toContainText("the balance is now 5");
  await expect
    .poll(
      async () => {
        await page.goto("/forms/referrals?state=rewarded");
        return page.getByTestId("referral-row").count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  await expect(page.getByTestId("referral-row")).toContainText("Rewarded");

  // The inviter sees the reward on their card.
  await inviter.page.reload();
  await expect(inviter.page.getByTestId("customer-card-balance")).toContainText("100");
  await inviter.context.close();
  await friend.context.close();
});

test("data rights: a customer downloads and erases their data at /my and the merchant sees both; the merchant handles another customer's request from the card", async ({
  page,
  browser,
}) => {
  const phone = uniquePhone();
  const otherPhone = uniquePhone();
  const { merchant, seeded } = await seedMerchant(page, {
    cards: [
      { phone, name: "Dora Data" },
      { phone: otherPhone, name: "Oleg Other" },
    ],
  });
  await page.goto("/cards");
  await page.getByRole("link", { name: "Data requests" }).click();
  await expect(page.getByRole("heading", { name: "No data requests yet" })).toBeVisible();

  // The customer downloads everything held about them.
  const customer = await newPerson(browser);
  await customer.page.setViewportSize({ width: 390, height: 844 });
  await signInAtMy(customer.page, phone);
  const mine = customer.page.getByTestId("my-data");
  const [download] = await Promise.all([customer.page.waitForEvent("download"), mine.getByRole("link", { name: "Download (JSON)" }).click()]);
  const exported = JSON.parse(await readFile((await download.path())!, "utf8"));
  expect(JSON.stringify(exported)).toContain("Dora Data");
  expect(JSON.stringify(exported)).not.toContain("Oleg Other");

  await page.reload();
  const first = page.getByTestId("data-request-row").first();
  await expect(first).toContainText("Download (JSON)");
  await expect(first).toContainText("Dora Data");
  await expect(first).toContainText("The customer, on their own page");

  // Then asks for erasure: a confirmation first, then signed out with a notice.
  await mine.getByRole("button", { name: "Erase my data" }).click();
  const dialog = customer.page.getByRole("dialog", { name: "Erase your data everywhere?" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await mine.getByRole("button", { name: "Erase my data" }).click();
  await dialog.getByRole("button", { name: "Erase for good" }).click();
  await expect(customer.page.getByRole("status")).toHaveText("Your data has been erased.");

  // The merchant sees the erasure: no name left, the card deactivated, the points history kept.
  await page.reload();
  const erased = page.getByTestId("data-request-row").first();
  await expect(erased).toContainText("Erasure");
  await expect(erased).toContainText("Erased customer");
  await erased.getByRole("link", { name: "Erased customer" }).click();
  await expect(page).toHaveURL(new RegExp(`/cards/${seeded.cardIds[0]}$`));
  await expect(page.getByTestId("card-status").first()).toHaveAttribute("data-status", "blocked");
  await expect(page.getByText("Dora Data")).toHaveCount(0);

  // Another customer asks by letter: the merchant downloads and erases from the card's page.
  await page.goto(`/cards/${seeded.cardIds[1]}`);
  const panel = page.getByTestId("data-rights");
  const [staffDownload] = await Promise.all([page.waitForEvent("download"), panel.getByRole("link", { name: "Download (CSV)" }).click()]);
  expect(await readFile((await staffDownload.path())!, "utf8")).toContain("Oleg Other");
  await panel.getByRole("button", { name: "Erase customer data" }).click();
  await page.getByRole("dialog", { name: "Erase this customer's data?" }).getByRole("button", { name: "Erase for good" }).click();
  await expect(page.getByTestId("card-status").first()).toHaveAttribute("data-status", "blocked");
  await page.goto("/cards/data-requests");
  const rows = page.getByTestId("data-request-row");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText(`Staff: ${merchant.name}`);
  await expect(rows.nth(0)).toContainText("Erasure");
  await expect(rows.nth(1)).toContainText("Download (CSV)");
  await customer.context.close();
});
