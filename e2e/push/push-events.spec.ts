import { test, expect, type Page } from "@playwright/test";
import { signUpMerchant, uniqueId } from "../helpers";
import { startApnsStandIn, type ApnsStandIn } from "../../tests/support/apns-stand-in";
import { createTemplateViaUi, issueCardViaUi, readCardPass } from "../cards/helpers";

// The app pushes to APNS_URL, which the e2e server points at this port (scripts/e2e-server.mjs). One
// stand-in for the file: its tests run one after another (two workers cannot both listen on it).
const APNS_PORT = Number(process.env.E2E_APNS_PORT ?? 3102);
let apns: ApnsStandIn;
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  apns = await startApnsStandIn({ port: APNS_PORT });
});
test.afterAll(async () => {
  await apns?.close();
});

/** A card of a new template, held by an iPhone registered through the PassKit web service (no clicking needed for that). */
async function walletCard(page: Page) {
  const template = await createTemplateViaUi(page);
  const { id } = await issueCardViaUi(page, { name: "Push Person", balance: "100" });
  const pass = await readCardPass(page.request, id);
  const device = `iphone-${uniqueId()}`;
  const pushToken = Buffer.from(device).toString("hex");
  const registration = `/api/wallet/v1/devices/${device}/registrations/${pass.passTypeIdentifier}/${pass.serialNumber}`;
  const response = await page.request.post(registration, {
    headers: { authorization: `ApplePass ${pass.authenticationToken}`, "user-agent": "PassKit/1.0 (iPhone; iOS 18.1)" },
    data: { pushToken },
  });
  expect(response.status()).toBe(201);
  return { template, cardId: id, pushToken };
}

/** A `datetime-local` value `minutes` ahead of now, in the merchant's zone (new merchants are in Europe/Moscow). */
function moscowInput(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  const parts = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Moscow", dateStyle: "short", timeStyle: "short" }).format(at);
  return parts.replace(" ", "T");
}

test("a push notification goes scheduled → running → finished with its counts; copy and delete it", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpMerchant(page);
  const { template, pushToken } = await walletCard(page);

  await page.goto("/push-events");
  await page.getByRole("link", { name: "New push notification" }).click();
  await page.getByLabel("Name").fill("Autumn news");
  await page.getByLabel("Message").fill("Coffee is half price today");
  await page.getByLabel(template.name).check();
  await page.getByRole("button", { name: "Count audience" }).click();
  await expect(page.getByTestId("audience-count")).toContainText("1 card: 1 in Apple Wallet");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/push-events\/[0-9a-f-]{36}$/);
  const eventUrl = page.url();

  // It starts at once; the page follows it until it has finished, with the wallet's figures.
  await expect(page.getByTestId("push-event-state")).toHaveText("Finished", { timeout: 60_000 });
  await expect(page.getByTestId("counts-apple")).toContainText("1 pushed, 1 accepted");
  expect(apns.received.filter((r) => r.token === pushToken)).toHaveLength(1);

  await page.goto("/push-events");
  const listed = page.getByTestId("push-event-row").filter({ hasText: "Autumn news" });
  await expect(listed).toContainText("Finished");
  // The list's figures are the event page's.
  await expect(listed.getByTestId("push-event-figures")).toHaveText("Apple 1, Google 0");

  // Reports: the delivered-pushes chart has a bar for the campaign and its table row holds its figures
  // (the reports' rollup folds the campaign's push.delivered a few seconds after it).
  const pushes = page.getByTestId("report-pushes");
  const campaignRow = pushes.locator("details tbody tr").filter({ hasText: "Autumn news" });
  await expect
    .poll(
      async () => {
        await page.goto("/reports");
        return campaignRow.count();
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBe(1);
  await expect(pushes.getByTestId("chart-pushes").locator("svg text").filter({ hasText: "Autumn news" })).toBeVisible();
  await expect(pushes.getByTestId("chart-pushes").locator(".recharts-bar-rectangle").first()).toBeAttached();
  await pushes.getByText("Table", { exact: true }).click();
  // Campaign, Apple accepted / failed, Google accepted / quota-limited / failed / in doubt.
  await expect(campaignRow.locator("td")).toHaveText(["Autumn news", "1", "0", "0", "0", "0", "0"]);
  await expect(pushes.locator("details tbody tr").last().locator("td")).toHaveText(["Total", "1", "0", "0", "0", "0", "0"]);

  // Copy: a new scheduled event with the same content.
  await page.goto(eventUrl);
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page).not.toHaveURL(eventUrl);
  await expect(page.getByTestId("push-event-state")).toHaveText("Scheduled");
  await expect(page.getByLabel("Message")).toHaveValue("Coffee is half price today");
  await page.screenshot({ path: "test-results/push-event-edit.png", fullPage: true });

  // Delete the copy, after confirming.
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/push-events$/);
  await expect(page.getByTestId("push-event-row")).toHaveCount(1);
  await page.screenshot({ path: "test-results/push-events-list.png", fullPage: true });
});

test("a promotion for the next minute changes the card page's preview, and changes it back when it ends", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpMerchant(page);
  const { template, cardId } = await walletCard(page);
  await page.goto(`/cards/${cardId}`);
  const front = page.getByTestId("preview-apple-front").first();
  const original = await front.evaluate((el) => getComputedStyle(el).backgroundColor);

  await page.goto("/push-events");
  await page.getByRole("link", { name: "New promotion" }).click();
  await page.getByLabel("Name").fill("Red Friday");
  await page.getByLabel(template.name).check();
  await page.getByLabel("Background colour").fill("#FF0000");
  await page.getByLabel("Start").fill(moscowInput(1));
  await page.getByLabel("End").fill(moscowInput(2));
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/push-events\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("push-event-state")).toHaveText("Scheduled");

  const previewColour = async () => {
    await page.goto(`/cards/${cardId}`);
    return front.evaluate((el) => getComputedStyle(el).backgroundColor);
  };
  await expect.poll(previewColour, { timeout: 150_000, intervals: [3_000] }).toBe("rgb(255, 0, 0)");
  await page.screenshot({ path: "test-results/push-promotion-card.png", fullPage: true });
  await expect.poll(previewColour, { timeout: 150_000, intervals: [3_000] }).toBe(original);
});
