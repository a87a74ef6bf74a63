import { test, expect, type APIRequestContext } from "@playwright/test";
import { signIn, signUpMerchant, uniqueId, type Merchant } from "../helpers";
import { createTemplateViaUi, issueCardViaUi, readCardPass, type PassInfo } from "../cards/helpers";

/**
 * The PassKit web service as a device speaks it, against the running app: every status of every call,
 * table-driven. One card is set up through the cabinet; its pass.json gives the serial and token.
 */
let pass: PassInfo;
let cardId: string;
let merchant: Merchant;
const v1 = "/api/wallet/v1";
const token = (device: string) => Buffer.from(device).toString("hex");

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  merchant = await signUpMerchant(page);
  await createTemplateViaUi(page);
  cardId = (await issueCardViaUi(page, { name: "Wallet Person" })).id;
  pass = await readCardPass(page.request, cardId);
  expect(pass.webServiceURL).toMatch(/\/api\/wallet$/);
  await page.close();
});

const registrationPath = (device: string, p: { passType?: string; serial?: string } = {}) =>
  `${v1}/devices/${device}/registrations/${p.passType ?? pass.passTypeIdentifier}/${p.serial ?? pass.serialNumber}`;
const auth = (): Record<string, string> => ({ authorization: `ApplePass ${pass.authenticationToken}` });

async function listSerials(request: APIRequestContext, device: string, since?: string) {
  return request.get(`${v1}/devices/${device}/registrations/${pass.passTypeIdentifier}${since ? `?passesUpdatedSince=${since}` : ""}`);
}

test.describe.configure({ mode: "serial" });

test("register: 201 for a new registration, 200 when already registered; the device lists the pass", async ({ request }) => {
  const device = `dev-${uniqueId()}`;
  const first = await request.post(registrationPath(device), { headers: auth(), data: { pushToken: token(device) } });
  expect(first.status()).toBe(201);
  const again = await request.post(registrationPath(device), { headers: auth(), data: { pushToken: token(device) } });
  expect(again.status()).toBe(200);
  // Many at once stay idempotent.
  const parallel = await Promise.all(
    Array.from({ length: 8 }, () =>
      request.post(registrationPath(`${device}-p`), { headers: auth(), data: { pushToken: token(device) } }).then((r) => r.status()),
    ),
  );
  expect(parallel.sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
  const list = await listSerials(request, device);
  expect(list.status()).toBe(200);
  const body = await list.json();
  expect(body).toEqual({ serialNumbers: [pass.serialNumber], lastUpdated: expect.stringMatching(/^\d+$/) });
  expect((await listSerials(request, device, body.lastUpdated)).status()).toBe(204);
});

const refusals: [string, { headers: Record<string, string>; passType?: string; serial?: string }][] = [
  ["no Authorization header", { headers: {} }],
  ["a wrong token", { headers: { authorization: "ApplePass 0123456789abcdef0123456789" } }],
  ["a Bearer header", { headers: { authorization: "Bearer whatever" } }],
  ["another pass type", { headers: {}, passType: "pass.com.example.other" }],
  ["an unknown serial", { headers: {}, serial: "unknown-serial-000" }],
];

for (const [what, c] of refusals) {
  test(`401 with no side effect for ${what}`, async ({ request }) => {
    const device = `dev401-${uniqueId()}`;
    const headers = c.passType || c.serial ? auth() : c.headers;
    const path = registrationPath(device, { passType: c.passType, serial: c.serial });
    expect((await request.post(path, { headers, data: { pushToken: token(device) } })).status()).toBe(401);
    expect((await request.delete(path, { headers })).status()).toBe(401);
    expect((await request.get(`${v1}/passes/${c.passType ?? pass.passTypeIdentifier}/${c.serial ?? pass.serialNumber}`, { headers })).status()).toBe(401);
    // Nothing was registered for that device.
    expect((await listSerials(request, device)).status()).toBe(204);
  });
}

test("list: 204 for a device that is unknown", async ({ request }) => {
  expect((await listSerials(request, `never-${uniqueId()}`)).status()).toBe(204);
});

test("register without a push token: 400", async ({ request }) => {
  expect((await request.post(registrationPath(`dev-${uniqueId()}`), { headers: auth(), data: {} })).status()).toBe(400);
});

test("latest pass: 200 .pkpass with Last-Modified, 304 when not modified since, 200 again when older", async ({ request }) => {
  const url = `${v1}/passes/${pass.passTypeIdentifier}/${pass.serialNumber}`;
  const first = await request.get(url, { headers: auth() });
  expect(first.status()).toBe(200);
  expect(first.headers()["content-type"]).toBe("application/vnd.apple.pkpass");
  const lastModified = first.headers()["last-modified"];
  expect(Date.parse(lastModified)).not.toBeNaN();
  expect((await request.get(url, { headers: { ...auth(), "if-modified-since": lastModified } })).status()).toBe(304);
  const older = new Date(Date.parse(lastModified) - 60_000).toUTCString();
  expect((await request.get(url, { headers: { ...auth(), "if-modified-since": older } })).status()).toBe(200);
  // Unchanged: served from the kept build, not built again.
  expect((await request.get(url, { headers: auth() })).headers()["x-carddesk-pass"]).toBe("cached");
});

test("unregister: 200, and the device then lists nothing", async ({ request }) => {
  const device = `dev-${uniqueId()}`;
  await request.post(registrationPath(device), { headers: auth(), data: { pushToken: token(device) } });
  expect((await request.delete(registrationPath(device), { headers: auth() })).status()).toBe(200);
  expect((await listSerials(request, device)).status()).toBe(204);
});

test("log: 200 for Wallet's log lines, kept for the merchant to read; 400 for a body that is not JSON", async ({ request, page }) => {
  const line = `Get pass task (pass type ${pass.passTypeIdentifier}, serial number ${pass.serialNumber}) failed ${uniqueId()}`;
  expect((await request.post(`${v1}/log`, { data: { logs: [line] } })).status()).toBe(200);
  expect((await request.post(`${v1}/log`, { headers: { "content-type": "application/json" }, data: Buffer.from("{nope") })).status()).toBe(400);
  await signIn(page, merchant.email, merchant.password);
  await page.goto("/cards/wallet-log");
  await expect(page.getByTestId("wallet-log")).toContainText(line);
});
