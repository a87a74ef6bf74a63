import { test, expect } from "@playwright/test";
import { signUpMerchant, uniqueId } from "../helpers";
import { startApnsStandIn, type ApnsStandIn } from "../../tests/support/apns-stand-in";
import { adjustPointsViaUi, createTemplateViaUi, issueCardViaUi, readCardPass } from "../cards/helpers";
import JSZip from "jszip";

// The app pushes to APNS_URL, which the e2e server points at this port (scripts/e2e-server.mjs).
const APNS_PORT = Number(process.env.E2E_APNS_PORT ?? 3102);
let apns: ApnsStandIn;

test.beforeAll(async () => {
  apns = await startApnsStandIn({ port: APNS_PORT });
});
test.afterAll(async () => {
  await apns.close();
});

test("issue → register a device → edit the balance in the cabinet → one push → the device lists the serial → the latest pass has the new balance; a 410 removes the registration", async ({
  page,
  request,
}) => {
  await signUpMerchant(page);
  await createTemplateViaUi(page);
  const { id } = await issueCardViaUi(page, { name: "Push Person", balance: "100" });
  const pass = await readCardPass(page.request, id);
  const device = `iphone-${uniqueId()}`;
  const pushToken = Buffer.from(device).toString("hex");
  const registration = `/api/wallet/v1/devices/${device}/registrations/${pass.passTypeIdentifier}/${pass.serialNumber}`;
  const auth = { authorization: `ApplePass ${pass.authenticationToken}` };
  expect((await request.post(registration, { headers: { ...auth, "user-agent": "PassKit/1.0 (iPhone; iOS 18.1)" }, data: { pushToken } })).status()).toBe(201);
  const listUrl = `/api/wallet/v1/devices/${device}/registrations/${pass.passTypeIdentifier}`;
  const { lastUpdated } = await (await request.get(listUrl)).json();

  await page.reload();
  await expect(page.getByTestId("card-status")).toHaveAttribute("data-status", "installed");
  await expect(page.getByTestId("card-devices")).toContainText("Apple Wallet · iPhone");

  const before = apns.received.filter((r) => r.token === pushToken).length;
  expect(before).toBe(0);
  await adjustPointsViaUi(page, 640, 740);

  // The worker pushes once the coalescing window has passed; the history records it when it has.
  await expect.poll(() => apns.received.filter((r) => r.token === pushToken).length, { timeout: 20_000 }).toBe(1);
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("card-event").filter({ hasText: "Update sent to wallets" }).count();
      },
      { timeout: 15_000 },
    )
    .toBe(1);
  const pushes = apns.received.filter((r) => r.token === pushToken);
  expect(pushes).toHaveLength(1);
  expect(pushes[0]).toMatchObject({ topic: pass.passTypeIdentifier, body: "{}" });

  const listed = await request.get(`${listUrl}?passesUpdatedSince=${lastUpdated}`);
  expect(listed.status()).toBe(200);
  expect((await listed.json()).serialNumbers).toEqual([pass.serialNumber]);
  const latest = await request.get(`/api/wallet/v1/passes/${pass.passTypeIdentifier}/${pass.serialNumber}`, { headers: auth });
  expect(latest.status()).toBe(200);
  const zip = await JSZip.loadAsync(await latest.body());
  const passJson = JSON.parse(await zip.file("pass.json")!.async("string"));
  const fields = [...passJson.storeCard.primaryFields, ...passJson.storeCard.secondaryFields, ...passJson.storeCard.headerFields];
  expect(fields.find((f: { key: string }) => f.key === "points")?.value).toBe(740);

  // APNs says the token is dead: the next change removes the registration instead of pushing for ever.
  apns.respond(pushToken, { status: 410, reason: "Unregistered" });
  await adjustPointsViaUi(page, 1, 741);
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("card-status").getAttribute("data-status");
      },
      { timeout: 20_000 },
    )
    .toBe("removed");
  await expect(page.getByTestId("card-devices")).toHaveCount(0);
  expect((await request.get(listUrl)).status()).toBe(204);
});
