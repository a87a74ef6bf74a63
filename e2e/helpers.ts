import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";

/** Reads the test-only outbox, with the token playwright.config.ts gave the server (app/api/dev/outbox). */
export const readOutbox = (request: APIRequestContext, to: string) =>
  request.get(`/api/dev/outbox?to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${process.env.DEV_OUTBOX}` } });

/** A value no other test (or earlier run) will pick: time + randomness. */
export function uniqueId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${uniqueId()}@e2e.example.com`;
}

export const DEFAULT_PASSWORD = "Test-pass-12345";

export type Merchant = { email: string; password: string; organisation: string; name: string };

/** The newest e-mail the console provider "sent" to an address whose text matches (read through the dev outbox). */
export async function lastEmail(page: Page, to: string, matching: RegExp): Promise<string> {
  let body = "";
  await expect
    .poll(
      async () => {
        const response = await readOutbox(page.request, to);
        const { messages } = (await response.json()) as { messages: { body: string; channel: string }[] };
        body = messages.find((m) => m.channel === "email" && matching.test(m.body))?.body ?? "";
        return body;
      },
      { timeout: 20_000 },
    )
    .not.toBe("");
  return body;
}

/** Fills and sends the sign-up form, and waits for its "check your e-mail" answer (the same for a taken address). */
export async function submitSignUp(page: Page, merchant: Merchant): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Organisation name").fill(merchant.organisation);
  await page.getByLabel("Your name").fill(merchant.name);
  await page.getByLabel("E-mail").fill(merchant.email);
  await page.getByLabel("Password").fill(merchant.password);
  await page.getByRole("button", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
}

function newMerchant(opts: Partial<Merchant>): Merchant {
  const id = uniqueId();
  return {
    organisation: opts.organisation ?? `Org ${id}`,
    name: opts.name ?? `Olga Owner${id}`,
    email: opts.email ?? uniqueEmail("owner"),
    password: opts.password ?? DEFAULT_PASSWORD,
  };
}

/** Signs a new merchant up through the form and the e-mailed link, as a person would (the sign-up spec). */
export async function signUpThroughForm(page: Page, opts: Partial<Merchant> = {}): Promise<Merchant> {
  const merchant = newMerchant(opts);
  await submitSignUp(page, merchant);
  const link = (await lastEmail(page, merchant.email, /\/sign-up\/confirm\?token=/)).match(/https?:\/\/\S+\/sign-up\/confirm\?token=[\w-]+/)?.[0];
  expect(link, "confirmation link").toBeTruthy();
  await page.goto(link!);
  await page.getByLabel("Password").fill(merchant.password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("merchant-name")).toHaveText(merchant.organisation);
  return merchant;
}

/**
 * A new merchant for a test, made in the database (test-only POST /api/dev/seed), then signed in
 * through the form: every spec starts from its own organisation without going through sign-up.
 */
export async function signUpMerchant(page: Page, opts: Partial<Merchant> = {}): Promise<Merchant> {
  return (await seedMerchant(page, {}, opts)).merchant;
}

/** What POST /api/dev/seed may make beside the merchant: customers with cards, a form rewarding referrals, points of sale. */
export type SeedExtras = {
  cards?: { phone: string; name: string; marketingConsent?: boolean }[];
  referral?: { inviterBonus: number; friendBonus: number; on: "installed" | "used" };
  /** Points of sale by name. */
  locations?: string[];
};
export type Seeded = { merchantId: string; ownerId: string; templateId?: string; cardIds: string[]; formToken?: string };

/** signUpMerchant with the extras made in the database too, and what they are. */
export async function seedMerchant(page: Page, extras: SeedExtras, opts: Partial<Merchant> = {}): Promise<{ merchant: Merchant; seeded: Seeded }> {
  const merchant = newMerchant(opts);
  const response = await page.request.post("/api/dev/seed", {
    data: { ...merchant, ...extras },
    headers: { authorization: `Bearer ${process.env.DEV_OUTBOX}` },
  });
  expect(response.status(), await response.text()).toBe(201);
  await signIn(page, merchant.email, merchant.password);
  await expect(page.getByTestId("merchant-name")).toHaveText(merchant.organisation);
  return { merchant, seeded: (await response.json()) as Seeded };
}

/** Fills the sign-in form and submits it; does not wait for any outcome. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits for the dashboard. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await submitSignIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in(\?next=[^&]*)?$/);
}

/** A second, independent browser (own cookies) for another person. */
export async function newPerson(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  return { context, page };
}

export type LocationInput = { name: string; address?: string; latitude: string; longitude: string; nearbyText?: string };

export async function fillLocationForm(page: Page, input: Partial<LocationInput>): Promise<void> {
  if (input.name !== undefined) await page.getByLabel("Name").fill(input.name);
  if (input.address !== undefined) await page.getByLabel("Address").fill(input.address);
  if (input.latitude !== undefined) await page.getByLabel("Latitude").fill(input.latitude);
  if (input.longitude !== undefined) await page.getByLabel("Longitude").fill(input.longitude);
  if (input.nearbyText !== undefined) await page.getByLabel("Text shown nearby").fill(input.nearbyText);
}

/** Creates a point of sale through the form; returns its id (from the link in the list). */
export async function createLocation(page: Page, input: Partial<LocationInput> = {}): Promise<{ id: string; name: string }> {
  const data: LocationInput = {
    name: `Shop ${uniqueId()}`,
    address: "1 Tverskaya St, Moscow",
    latitude: "55.7558",
    longitude: "37.6173",
    nearbyText: "10% off here",
    ...input,
  };
  await page.goto("/locations/new");
  await fillLocationForm(page, data);
  await page.getByRole("button", { name: "Add point of sale" }).click();
  await expect(page).toHaveURL(/\/locations$/);
  const link = page.getByRole("link", { name: data.name, exact: true });
  await expect(link).toBeVisible();
  const href = await link.getAttribute("href");
  const id = href?.match(/\/locations\/([0-9a-f-]{36})$/i)?.[1];
  expect(id, `location link href ${href}`).toBeTruthy();
  return { id: id!, name: data.name };
}

export { makePng } from "../tests/fixtures/png";

/** The page's own alerts, leaving out Next.js's route announcer (also role="alert"). */
export function alerts(page: Page) {
  return page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)"));
}
