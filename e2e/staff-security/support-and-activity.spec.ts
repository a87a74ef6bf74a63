import { expect, test } from "@playwright/test";
import { readOutbox, signUpMerchant, uniqueId } from "../helpers";

test("write to support from Settings → Support and see the request listed", async ({ page }) => {
  await signUpMerchant(page);
  await page.goto("/cards");
  await page.getByRole("complementary").getByRole("link", { name: "Support" }).click();
  await expect(page).toHaveURL(/\/settings\/support$/);
  await expect(page.getByTestId("support-contacts")).toContainText("support@carddesk.local");
  const subject = `Passes do not update ${uniqueId()}`;
  await page.getByLabel("Subject").fill(subject);
  const text = `Since this morning the passes show the old balance (${uniqueId()}).`;
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Your message has been sent. We will answer by e-mail.");
  const request = page.getByTestId("support-request").filter({ hasText: subject });
  await expect(request).toBeVisible();
  await expect(request).toContainText("/cards");
  await page.screenshot({ path: "test-results/staff-security-support.png", fullPage: true });

  // The e-mail to the platform's support address carries the merchant's id and the page.
  await expect
    .poll(async () => {
      const { messages } = (await (await readOutbox(page.request, "support@carddesk.local")).json()) as { messages: { body: string }[] };
      return messages.find((m) => m.body.includes(text))?.body ?? "";
    })
    .toMatch(/Merchant: .+ \([0-9a-f-]{36}\)\n[\s\S]*Page: \/cards/);
});

test("activity log: filter by what and download the filtered CSV", async ({ page }) => {
  await signUpMerchant(page);
  await page.goto("/activity");
  await page.getByLabel("What").selectOption({ label: "Organisation" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/action=merchant/);
  await expect(page.getByText("created the organisation")).toBeVisible();
  await page.screenshot({ path: "test-results/staff-security-activity.png", fullPage: true });
  const download = page.waitForEvent("download");
  await page.getByTestId("audit-export").click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("activity.csv");
  const csv = await (await file.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  expect(text).toContain("time,user,email,action,entityType,entityId");
  expect(text).toContain("merchant.create");
});
