import { test, expect } from "@playwright/test";
import {
  DEFAULT_PASSWORD,
  alerts,
  lastEmail,
  signIn,
  signOut,
  signUpMerchant,
  signUpThroughForm,
  submitSignIn,
  submitSignUp,
  uniqueEmail,
  uniqueId,
} from "../helpers";

test.describe("sign-up and sign-in", () => {
  test("a new merchant lands on the dashboard, signs out and signs in again", async ({ page }) => {
    const merchant = await signUpThroughForm(page);
    await expect(page.getByTestId("merchant-name")).toHaveText(merchant.organisation);
    await expect(page.getByRole("heading", { name: `Hello, ${merchant.name.split(" ")[0]}` })).toBeVisible();
    await expect(page.getByTestId("count-locations")).toHaveText("0");
    await expect(page.getByTestId("count-staff")).toHaveText("1");

    await signOut(page);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    // Signed out means signed out: the cabinet sends us back to the form.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in(\?next=[^&]*)?$/);

    await signIn(page, merchant.email, merchant.password);
    await expect(page.getByTestId("merchant-name")).toHaveText(merchant.organisation);
  });

  test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
    const merchant = await signUpMerchant(page);
    await signOut(page);

    await submitSignIn(page, merchant.email, "Wrong-pass-99999");
    await expect(alerts(page)).toHaveText("Wrong e-mail or password.");
    await expect(page).toHaveURL(/\/sign-in(\?next=[^&]*)?$/);
    await expect(page.getByTestId("merchant-name")).toHaveCount(0);
    // The e-mail is kept so the person only retypes the password.
    await expect(page.getByLabel("E-mail")).toHaveValue(merchant.email);
  });

  test("sign-up refuses a weak password, and answers a taken e-mail like a new one", async ({ page }) => {
    const merchant = await signUpMerchant(page);
    await signOut(page);

    await page.goto("/sign-up");
    await page.getByLabel("Organisation name").fill("Second shop");
    await page.getByLabel("Your name").fill("Someone Else");
    await page.getByLabel("E-mail").fill(merchant.email.toUpperCase());
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create an account" }).click();
    await expect(page.getByLabel("Password")).toHaveAccessibleDescription("Use at least 10 characters.");
    await expect(page).toHaveURL(/\/sign-up$/);
    await expect(page.getByLabel("Organisation name")).toHaveValue("Second shop");

    // Nothing on the page tells that the address has an account; its owner hears of it by e-mail.
    await page.getByLabel("Password").fill("Another-pass-2468");
    await page.getByRole("button", { name: "Create an account" }).click();
    await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(merchant.email.toLowerCase());
    const note = await lastEmail(page, merchant.email, /already has one/);
    expect(note).not.toContain("token=");

    // The original owner's password still works.
    await signIn(page, merchant.email, merchant.password);
    await expect(page.getByTestId("merchant-name")).toHaveText(merchant.organisation);
  });

  test("a confirmation link asks for the chosen password, creates the organisation once, and refuses an altered link", async ({ page }) => {
    const merchant = { organisation: `Org ${uniqueId()}`, name: "Link Owner", email: uniqueEmail("link"), password: DEFAULT_PASSWORD };
    await submitSignUp(page, merchant);
    const link = (await lastEmail(page, merchant.email, /sign-up\/confirm/)).match(/https?:\/\/\S+\/sign-up\/confirm\?token=[\w-]+/)![0];
    await page.goto(link);
    await page.getByLabel("Password").fill("Not-the-one-123");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByLabel("Password")).toHaveAccessibleDescription("This is not the password you chose when signing up.");
    await page.getByLabel("Password").fill(merchant.password);
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("merchant-name")).toHaveText(merchant.organisation);

    // Used again, it creates nothing; altered, it is refused outright.
    await page.goto(link);
    await page.getByLabel("Password").fill(merchant.password);
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(alerts(page)).toHaveText("An account with this e-mail already exists.");
    await page.goto(`${link.slice(0, -4)}AAAA`);
    await expect(alerts(page)).toHaveText("This link is not valid or has expired. Please sign up again.");
  });

  test("a signed-out visit to the dashboard redirects to sign-in", async ({ page }) => {
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page).toHaveURL(/\/sign-up$/);
  });

  test("signing in after a redirect returns to the page that was asked for", async ({ browser, page }) => {
    const merchant = await signUpMerchant(page);
    const other = await browser.newContext();
    const visitor = await other.newPage();
    await visitor.goto("/locations?q=shop");
    await expect(visitor).toHaveURL(/\/sign-in\?next=%2Flocations%3Fq%3Dshop$/);
    await visitor.getByLabel("E-mail").fill(merchant.email);
    await visitor.getByLabel("Password").fill(merchant.password);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    await expect(visitor).toHaveURL(/\/locations\?q=shop$/);
    await other.close();
  });
});
