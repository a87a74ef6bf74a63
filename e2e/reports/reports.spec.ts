import { expect, test } from "@playwright/test";
import { signIn, signUpMerchant, uniqueEmail, uniqueId, DEFAULT_PASSWORD } from "../helpers";

test.describe("reports", () => {
  test("a merchant with three months of history sees every chart, switches period and template, and exports CSV", async ({ page }) => {
    // Seeding the history runs 40 cards' issues, installs and purchases through the real services first.
    test.setTimeout(180_000);
    const merchant = { organisation: `Reports ${uniqueId()}`, name: "Rita Reports", email: uniqueEmail("reports"), password: DEFAULT_PASSWORD };
    const seeded = await page.request.post("/api/dev/seed", {
      data: { ...merchant, history: true },
      headers: { authorization: `Bearer ${process.env.DEV_OUTBOX}` },
      timeout: 150_000,
    });
    expect(seeded.status(), await seeded.text()).toBe(201);
    await signIn(page, merchant.email, merchant.password);
    // The dashboard's tiles: the last 30 days with their sparklines and the change against the 30 days before.
    await expect(page.getByTestId("dashboard-trends")).toBeVisible();
    await expect(page.getByTestId("trend-issued")).not.toHaveText("0");
    await expect(page.getByTestId("trend-members")).not.toHaveText("0");
    await page.getByRole("link", { name: "Reports" }).first().click();
    await expect(page).toHaveURL(/\/reports$/);
    await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
    await expect(page.getByTestId("reports-freshness")).toContainText("Figures as of");

    // Every report with data draws its chart (an SVG from recharts).
    for (const id of ["card-statuses", "device-types", "card-history", "device-history", "conversion", "activations", "loyalty"]) {
      await expect(page.getByTestId(`chart-${id}`).locator(".recharts-wrapper > svg.recharts-surface"), id).toBeVisible();
    }
    // No campaign pushes yet: an empty state that says what will appear.
    await expect(page.getByTestId("empty-pushes")).toContainText("Wallet update pushes");
    await expect(page.getByTestId("total-issued")).not.toHaveText("0");
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: "test-results/reports-1366.png", fullPage: true });

    // The last 90 days, grouped by week.
    await page.getByTestId("filter-period").selectOption("90d");
    await page.getByTestId("filter-granularity").selectOption("week");
    await page.getByTestId("filter-apply").click();
    await expect(page).toHaveURL(/period=90d/);
    await expect(page.getByTestId("chart-card-history").locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
    const issued90 = Number((await page.getByTestId("total-issued").textContent())?.replace(/\D/g, ""));
    expect(issued90).toBeGreaterThan(0);

    // A template with no cards: every period report is empty and says so.
    await page.goto("/templates/new");
    await page.getByLabel("Template name").fill(`Empty ${uniqueId()}`);
    await page.getByRole("group", { name: "Kind of card" }).getByText("Loyalty / discount", { exact: true }).click();
    await page.getByRole("button", { name: "Create template" }).click();
    await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
    const templateId = page.url().match(/\/templates\/([0-9a-f-]{36})$/)![1];
    await page.goto(`/reports?period=90d&template=${templateId}`);
    await expect(page.getByTestId("filter-template")).toHaveValue(templateId);
    await expect(page.getByTestId("empty-card-history")).toBeVisible();
    await expect(page.getByTestId("total-issued")).toHaveText("0");

    // CSV of the card history: a header and one row per day.
    await page.goto("/reports?period=30d");
    const href = await page.getByTestId("csv-card-history").getAttribute("href");
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("period,issued,installed,removed");
    expect(lines).toHaveLength(31);

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/reports");
    await expect(page.getByTestId("chart-loyalty").locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
    await page.screenshot({ path: "test-results/reports-390.png", fullPage: true });
  });

  test("a new merchant's reports are empty and say what will appear", async ({ page }) => {
    await signUpMerchant(page);
    await expect(page.getByTestId("trend-issued-change")).toHaveText("Nothing yet");
    await page.goto("/reports");
    await expect(page.getByTestId("empty-card-statuses")).toContainText("once you issue cards");
    await expect(page.getByTestId("empty-loyalty")).toBeVisible();
  });
});
