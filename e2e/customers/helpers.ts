import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { readOutbox } from "../helpers";

/** The newest message the console SMS provider "sent" to a phone (read through the dev outbox). */
export async function lastSms(request: APIRequestContext, phone: string, kind: "code" | "card"): Promise<string> {
  let body = "";
  await expect
    .poll(
      async () => {
        const response = await readOutbox(request, phone);
        const { messages } = (await response.json()) as { messages: { body: string; kind: string }[] };
        body = messages.find((m) => m.kind === kind)?.body ?? "";
        return body;
      },
      { timeout: 20_000 },
    )
    .not.toBe("");
  return body;
}

/** The 6-digit code in the newest code SMS to a phone, once it differs from `not`. */
export async function lastCode(request: APIRequestContext, phone: string, not?: string): Promise<string> {
  let code = "";
  await expect
    .poll(
      async () => {
        const response = await readOutbox(request, phone);
        const { messages } = (await response.json()) as { messages: { body: string; kind: string }[] };
        code = messages.find((m) => m.kind === "code")?.body.match(/\b\d{6}\b/)?.[0] ?? "";
        return code && code !== not ? code : "";
      },
      { timeout: 20_000 },
    )
    .not.toBe("");
  return code;
}

/** Asks /my (or any code sign-in form on the page) for a code to a phone. */
export async function askForCode(page: Page, phone: string) {
  await page.getByLabel("Phone number").fill(phone);
  await page.getByRole("button", { name: "Get a code" }).click();
  await expect(page.getByTestId("code-step")).toBeVisible();
}

export async function enterCode(page: Page, code: string) {
  await page.getByLabel("Code from the SMS").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs a customer in at /my with the code the console SMS provider "sent", and waits for their page. */
export async function signInAtMy(page: Page, phone: string) {
  await page.goto("/my");
  await askForCode(page, phone);
  await enterCode(page, await lastCode(page.request, phone));
  await expect(page.getByTestId("signed-in-phone")).toHaveText(phone);
}
