import http from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { signUpMerchant } from "../helpers";

/** A CRM on loopback: keeps each request and answers with the status the test sets. */
async function startReceiver() {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString() });
      res.statusCode = state.status;
      res.end(state.status === 200 ? "thanks" : "broken");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { received, state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/crm`, close: () => server.close() };
}

test("owner adds a webhook endpoint, sends a test, reads it in the log, and replays a failed delivery", async ({ page }) => {
  const receiver = await startReceiver();
  try {
    await signUpMerchant(page);
    await page.getByRole("complementary").getByRole("link", { name: "Webhooks" }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByText("No webhook endpoints yet")).toBeVisible();

    // A private address is refused next to the field.
    await page.getByLabel("URL").fill("https://10.0.0.5/hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("Private network addresses (10.0.0.5) are not allowed.")).toBeVisible();

    await page.getByLabel("URL").fill(receiver.url);
    await page.getByLabel("Description").fill("CRM");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const shown = page.getByTestId("webhook-secret");
    await expect(shown.getByLabel("Secret")).toHaveValue(/^whsec_/);
    const secret = await shown.getByLabel("Secret").inputValue();
    await shown.getByRole("button", { name: "I have saved it" }).click();
    await expect(page.getByText(secret)).toHaveCount(0);

    const row = page.getByTestId("webhook-row").filter({ hasText: receiver.url });
    await row.getByRole("link", { name: "Open" }).click();
    await expect(page).toHaveURL(/\/settings\/webhooks\/[0-9a-f-]{36}$/);

    await page.getByRole("button", { name: "Send a test event" }).click();
    await expect(page.getByText("A webhook.test event is on its way")).toBeVisible();
    const delivery = page.getByTestId("webhook-delivery").first();
    await expect(delivery).toContainText("Delivered", { timeout: 30_000 });
    expect(receiver.received).toHaveLength(1);
    expect(new Webhook(secret).verify(receiver.received[0].body, receiver.received[0].headers)).toMatchObject({ type: "webhook.test" });
    await delivery.locator("summary").click();
    await expect(delivery.getByTestId("webhook-request-body")).toContainText('"type":"webhook.test"');
    await expect(delivery).toContainText("thanks");

    // The receiver breaks: the next test fails and waits for its retry.
    receiver.state.status = 500;
    await page.getByRole("button", { name: "Send a test event" }).click();
    const failed = page.getByTestId("webhook-delivery").filter({ hasText: "Answer: 500" });
    await expect(failed).toContainText("Pending", { timeout: 30_000 });
    await expect(failed).toContainText("Attempts: 1");
    // Found by its id from here on: its own retry may come before the replay does.
    const failing = page.locator(`[data-delivery-id="${await failed.getAttribute("data-delivery-id")}"]`);

    // Mended, and replayed from the log: delivered, with the same webhook-id.
    receiver.state.status = 200;
    await failing.locator("summary").click();
    await failing.getByRole("button", { name: "Replay" }).click();
    await expect(failing).toContainText("Delivered", { timeout: 30_000 });
    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(ids.at(-1)).toBe(ids[1]);
    expect(receiver.received.length).toBeGreaterThanOrEqual(3);
  } finally {
    receiver.close();
  }
});
