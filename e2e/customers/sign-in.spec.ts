import JSZip from "jszip";
import { test, expect } from "@playwright/test";
import { newPerson, signUpMerchant } from "../helpers";
import { createTemplateViaUi, issueCardViaUi, readCardPass, uniquePhone } from "../cards/helpers";
import { askForCode, enterCode, lastCode, lastSms } from "./helpers";

const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");

test("send a card by SMS, open its link, add it to Apple Wallet; sign in at /my with the code and see only your own cards", async ({ page, browser }) => {
  await signUpMerchant(page);
  await createTemplateViaUi(page);
  const phone = uniquePhone();
  const { id } = await issueCardViaUi(page, { phone, name: "Customer One" });
  const staffPass = await readCardPass(page.request, id);
  await issueCardViaUi(page, { name: "Someone Else" });

  await page.goto(`/cards/${id}`);
  await page.getByRole("button", { name: /Send by SMS/ }).click();
  await expect(page.getByTestId("sent-sms")).toContainText(`On its way to ${phone}`);
  const sms = await lastSms(page.request, phone, "card");
  const link = sms.match(/https?:\/\/\S+\/c\/[\w-]+/)![0];

  const customer = await newPerson(browser);
  const mobile = customer.page;
  await mobile.setViewportSize({ width: 390, height: 844 });
  await mobile.goto(new URL(link).pathname);
  await expect(mobile.getByTestId("add-apple")).toBeVisible();
  await expect(mobile.getByTestId("till-code")).toBeVisible();
  const pkpass = await mobile.request.get(`${new URL(link).pathname}/pass`);
  expect(pkpass.headers()["content-type"]).toBe("application/vnd.apple.pkpass");
  const pass = JSON.parse(await (await JSZip.loadAsync(await pkpass.body())).file("pass.json")!.async("string"));
  expect(pass.serialNumber).toBe(staffPass.serialNumber);

  // Sign in at /my on a phone-sized screen: a wrong code is refused with the tries left, the right one works.
  await mobile.goto("/my");
  await askForCode(mobile, phone);
  const code = await lastCode(mobile.request, phone);
  await enterCode(mobile, wrongFor(code));
  await expect(mobile.getByText("Wrong code. 4 tries left.")).toBeVisible();
  await enterCode(mobile, code);
  await expect(mobile.getByTestId("customer-cards")).toBeVisible();
  await expect(mobile.getByTestId("customer-card")).toHaveCount(1);
  await expect(mobile.getByTestId("customer-card")).toHaveAttribute("data-number", pass.barcodes[0].message);
  const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // The staff session and the customer session are different things: the customer cannot open the cabinet.
  await mobile.goto("/cards");
  await expect(mobile).toHaveURL(/\/sign-in/);
  await customer.context.close();
});

test("the 6th try is refused even with the right code, and a resend within 60 s is refused with the wait", async ({ page, browser }) => {
  await signUpMerchant(page);
  await createTemplateViaUi(page);
  const phone = uniquePhone();
  await issueCardViaUi(page, { phone });

  const customer = await newPerson(browser);
  await customer.page.goto("/my");
  await askForCode(customer.page, phone);
  const code = await lastCode(customer.page.request, phone);
  for (const left of [4, 3, 2, 1]) {
    await enterCode(customer.page, wrongFor(code));
    await expect(customer.page.getByText(`Wrong code. ${left} ${left === 1 ? "try" : "tries"} left.`)).toBeVisible();
  }
  await enterCode(customer.page, wrongFor(code));
  await expect(customer.page.getByText("Too many wrong codes: this one no longer works. Ask for a new code.")).toBeVisible();
  await enterCode(customer.page, code);
  await expect(customer.page.getByText("Too many wrong codes: this one no longer works. Ask for a new code.")).toBeVisible();
  await expect(customer.page.getByTestId("customer-cards")).toHaveCount(0);

  // The resend button waits out the minute; asking again from elsewhere is refused with the seconds left.
  await expect(customer.page.getByRole("button", { name: /Send again in \d+ s/ })).toBeDisabled();
  const other = await newPerson(browser);
  await other.page.goto("/my");
  await other.page.getByLabel("Phone number").fill(phone);
  await other.page.getByRole("button", { name: "Get a code" }).click();
  await expect(other.page.getByText(/A code was sent less than a minute ago\. You can ask for a new one in \d+ s\./)).toBeVisible();
  await customer.context.close();
  await other.context.close();
});

test("a merchant lets customers get a card on its page: phone, code, name — and the card is there", async ({ page, browser }) => {
  await signUpMerchant(page);
  const template = await createTemplateViaUi(page, "Welcome card");
  await page.goto("/settings/customer-page");
  await page.getByLabel(/Let customers get a card/).check();
  await page.getByLabel("Template of the cards they get").selectOption({ label: template.name });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("Saved.");
  const url = (await page.getByTestId("customer-page-url").textContent())!;

  const customer = await newPerson(browser);
  const phone = uniquePhone();
  await customer.page.goto(new URL(url).pathname);
  await customer.page.getByTestId("join-link").click();
  await askForCode(customer.page, phone);
  const code = await lastCode(customer.page.request, phone);
  await customer.page.getByLabel("Code from the SMS").fill(code);
  await customer.page.getByLabel("Your name").fill("New Customer");
  await customer.page.getByRole("button", { name: "Get my card" }).click();
  await expect(customer.page.getByText("Your card is ready: add it to your wallet below.")).toBeVisible();
  await expect(customer.page.getByTestId("customer-card")).toHaveCount(1);
  await expect(customer.page.getByTestId("add-apple")).toBeVisible();

  // The merchant sees the new card with its holder.
  await page.goto("/cards");
  await expect(page.getByRole("table").getByText("New Customer")).toBeVisible();
  await customer.context.close();
});
