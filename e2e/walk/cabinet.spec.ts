import { test, expect } from "@playwright/test";
import { createTemplateViaUi, issueCardViaUi } from "../cards/helpers";
import { createLocation, signUpMerchant, uniqueId } from "../helpers";
import { VIEWPORTS, clickNav, expectNoHorizontalOverflow, shot, useRussian } from "./helpers";

/** "Nov 29, 2026, 3:20 PM": the one date format of moments (i18n/formats.ts), in English. */
const MOMENT = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M$/;

for (const viewport of VIEWPORTS) {
  test.describe(`${viewport.name} (${viewport.width} px)`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("a new merchant's dashboard: a checklist in the order that works, ticking itself; empty lists each with their own drawing", async ({ page }) => {
      const merchant = await signUpMerchant(page);
      const checklist = page.getByTestId("setup-checklist");
      await expect(checklist).toBeVisible();
      const steps = checklist.getByRole("listitem");
      await expect(steps).toHaveText([/Design a card template/, /Upload your Apple certificate/, /Connect an SMS service/, /Issue your first card/]);
      for (const step of ["template", "appleCertificate", "sms", "firstCard"])
        await expect(page.getByTestId(`setup-step-${step}`)).toHaveAttribute("data-done", "false");
      await expectNoHorizontalOverflow(page, viewport.width);
      if (viewport.name === "phone") await shot(page, "dashboard-checklist-390");

      // The welcome note no longer asks for points of sale.
      await page.getByTestId("notification-bell").click();
      const welcome = page
        .getByRole("dialog", { name: "Notifications" })
        .getByRole("listitem")
        .filter({ hasText: `Welcome to CardDesk, ${merchant.organisation}!` });
      await expect(welcome).toContainText("steps to your first card");
      await expect(welcome).not.toContainText("points of sale");
      await page.keyboard.press("Escape");

      // Every empty list has its own drawing.
      const icons: string[] = [];
      for (const path of ["/cards", "/templates", "/locations", "/settings/api-keys"]) {
        await page.goto(path);
        icons.push((await page.getByTestId("empty-icon").getAttribute("data-icon"))!);
      }
      expect(new Set(icons).size).toBe(icons.length);

      // A step links to where it is done, and ticks once done.
      await page.goto("/dashboard");
      await page.getByTestId("setup-step-template").getByRole("link").click();
      await expect(page).toHaveURL(/\/templates\/new$/);
      const template = await createTemplateViaUi(page);
      await issueCardViaUi(page, { template: template.name });
      await clickNav(page, viewport, "Dashboard");
      await expect(page.getByTestId("setup-step-template")).toHaveAttribute("data-done", "true");
      await expect(page.getByTestId("setup-step-firstCard")).toHaveAttribute("data-done", "true");
      await expect(page.getByTestId("setup-step-appleCertificate")).toHaveAttribute("data-done", "false");
      await expect(checklist).toContainText("2 of 4 done");
    });

    test("points of sale sort as people count; the activity log reads as English; dates read the same on the dashboard and in Messages", async ({ page }) => {
      await signUpMerchant(page);
      const tag = uniqueId();
      for (const n of [10, 3, 11]) await createLocation(page, { name: `Shop ${n} ${tag}` });
      await page.goto("/locations");
      await expect(page.getByRole("link", { name: new RegExp(tag) })).toHaveText([`Shop 3 ${tag}`, `Shop 10 ${tag}`, `Shop 11 ${tag}`]);

      const template = await createTemplateViaUi(page, `Card ${tag}`);
      await issueCardViaUi(page, { template: template.name });
      await page.getByRole("button", { name: "Block (lost)" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Block" }).click();
      await expect(page.getByTestId("card-status")).toHaveAttribute("data-status", "blocked");

      await page.goto("/activity");
      const log = page.getByRole("main");
      await expect(log.getByText("blocked the card", { exact: false }).first()).toBeVisible();
      await expect(log.getByText("issued the card", { exact: false }).first()).toBeVisible();
      await expect(log).toContainText(`added the point of sale “Shop 3 ${tag}”`);
      await expect(log).not.toContainText("«");

      await page.goto("/dashboard");
      const dashboardTime = (await page.locator("main time").first().innerText()).trim();
      expect(dashboardTime).toMatch(MOMENT);
      await page.goto("/messages");
      const messageTime =
        viewport.name === "phone"
          ? (await page.getByTestId("message-item").first().locator("p.text-xs").last().innerText()).split(" · ")[0]
          : (await page.getByTestId("message-row").first().locator("td").first().innerText()).trim();
      expect(messageTime).toMatch(MOMENT);
    });

    test("Messages and Certificates in Russian fit the screen; the certificate file pickers speak Russian", async ({ page }) => {
      await signUpMerchant(page);
      await useRussian(page);
      await page.goto("/messages");
      await expect(page.getByRole("heading", { name: "Сообщения", level: 1 })).toBeVisible();
      await expect(page.getByTestId(viewport.name === "phone" ? "message-item" : "message-row").first()).toBeVisible();
      await expectNoHorizontalOverflow(page, viewport.width);
      if (viewport.name === "phone") await shot(page, "messages-ru-390");
      // Filtered to nothing: the empty state fits too.
      await page.goto("/messages?status=in_doubt");
      await expect(page.getByTestId("empty-icon")).toHaveAttribute("data-icon", "search");
      await expectNoHorizontalOverflow(page, viewport.width);

      await page.goto("/settings/certificates");
      await expect(page.getByText("Выбрать файл").first()).toBeVisible();
      await expect(page.getByText("Файл не выбран").first()).toBeVisible();
      await expectNoHorizontalOverflow(page, viewport.width);
      if (viewport.name === "phone") await shot(page, "certificates-ru-390");
    });
  });
}
