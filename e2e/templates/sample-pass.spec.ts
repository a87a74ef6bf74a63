import { readFile } from "node:fs/promises";
import JSZip from "jszip";
import { test, expect } from "@playwright/test";
import { signUpMerchant, uniqueId } from "../helpers";

test("the editor downloads a signed sample .pkpass of the template, and says it is a development signature", async ({ page }) => {
  await signUpMerchant(page);
  await page.goto("/templates/new");
  const name = `Gift ${uniqueId()}`;
  await page.getByLabel("Template name").fill(name);
  await page.getByRole("group", { name: "Kind of card" }).getByText("Gift certificate", { exact: true }).click();
  await page.getByRole("button", { name: "Create template" }).click();
  await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("dev-certificate-note")).toContainText("will not install");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("sample-pass").click()]);
  expect(download.suggestedFilename()).toMatch(/\.pkpass$/);
  const zip = await JSZip.loadAsync(await readFile((await download.path())!));
  const pass = JSON.parse(await zip.file("pass.json")!.async("string"));
  expect(pass).toMatchObject({ formatVersion: 1, passTypeIdentifier: expect.stringMatching(/^pass\.dev\.carddesk\./), storeCard: expect.any(Object) });
  expect(zip.file("manifest.json")).not.toBeNull();
  expect(zip.file("signature")).not.toBeNull();
  expect(zip.file("ru.lproj/pass.strings")).not.toBeNull();
});
