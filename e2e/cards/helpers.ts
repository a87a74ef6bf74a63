import JSZip from "jszip";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { uniqueId } from "../helpers";

type KindLabel = "Loyalty / discount" | "Stamp card" | "Gift certificate";

/** Creates a template through the form and returns its id. */
export async function createTemplateViaUi(
  page: Page,
  name = `Card ${uniqueId()}`,
  kind: KindLabel = "Loyalty / discount",
): Promise<{ id: string; name: string }> {
  await page.goto("/templates/new");
  await page.getByLabel("Template name").fill(name);
  await page.getByRole("group", { name: "Kind of card" }).getByText(kind, { exact: true }).click();
  await page.getByRole("button", { name: "Create template" }).click();
  await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
  return { id: page.url().match(/\/templates\/([0-9a-f-]{36})$/)![1], name };
}

/** A Russian mobile number no other test uses. */
export function uniquePhone(): string {
  return `+7916${String(Date.now() % 10_000_000)
    .padStart(7, "0")
    .slice(0, 5)}${Math.floor(Math.random() * 100)
    .toString()
    .padStart(2, "0")}`;
}

/** Issues a card through the cabinet form; returns the card page's id. */
export async function issueCardViaUi(
  page: Page,
  input: { template?: string; phone?: string; name?: string; balance?: string } = {},
): Promise<{ id: string; phone: string }> {
  const phone = input.phone ?? uniquePhone();
  await page.goto("/cards/new");
  if (input.template) await page.getByLabel("Template").selectOption({ label: input.template });
  await page.getByLabel("Phone").fill(phone);
  if (input.name) await page.getByLabel("Name", { exact: true }).fill(input.name);
  if (input.balance) await page.getByLabel("Balance").fill(input.balance);
  await page.getByRole("button", { name: "Issue the card" }).click();
  await expect(page).toHaveURL(/\/cards\/[0-9a-f-]{36}\?issued=1$/);
  await expect(page.getByRole("status")).toContainText("The card was issued.");
  return { id: page.url().match(/\/cards\/([0-9a-f-]{36})/)![1], phone };
}

export type PassInfo = { serialNumber: string; authenticationToken: string; passTypeIdentifier: string; webServiceURL: string; pass: Record<string, unknown> };

/** Downloads a card's .pkpass as staff and reads pass.json, as a device would after adding it. */
export async function readCardPass(request: APIRequestContext, cardId: string): Promise<PassInfo> {
  const response = await request.get(`/api/cards/${cardId}/pass`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/vnd.apple.pkpass");
  const zip = await JSZip.loadAsync(await response.body());
  const pass = JSON.parse(await zip.file("pass.json")!.async("string")) as Record<string, unknown> & PassInfo;
  return {
    serialNumber: pass.serialNumber,
    authenticationToken: pass.authenticationToken,
    passTypeIdentifier: pass.passTypeIdentifier,
    webServiceURL: pass.webServiceURL,
    pass,
  };
}

/** Card page → Points → Adjust: moves the balance by `points` (signed) with a reason, and waits for the new balance. */
export async function adjustPointsViaUi(page: Page, points: number, balanceAfter: number, reason = "e2e correction") {
  const section = page.getByTestId("points-section");
  const form = section.getByTestId("points-adjust-form");
  if (!(await form.isVisible())) await section.getByText("Adjust the balance (with a reason)").click();
  await form.getByLabel("Points, + or −").fill(String(points));
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Adjust" }).click();
  await expect(section.getByTestId("points-balance")).toContainText(balanceAfter.toLocaleString("en"));
}
