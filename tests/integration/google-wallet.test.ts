import { createVerify, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createWalletClient, getWalletClient } from "@/lib/wallet/google/client";
import { getGoogleIssuer, getGoogleIssuerStatus, parseServiceAccount, removeGoogleIssuer, saveGoogleIssuer } from "@/lib/wallet/google/account";
import { syncTemplateClass } from "@/lib/wallet/google/class-sync";
import { createTemplate } from "@/lib/templates";
import type { PassCard } from "@/lib/passes/apple/pass-json";
import { SAVE_URL, saveToWalletUrl } from "@/lib/wallet/google";
import { cardToObject, templateToClass, type GoogleContext } from "@/lib/wallet/google/mapping";
import { TEMPLATE_KINDS, defaultDefinition } from "@/lib/templates/definition";
import { createTestMerchant } from "../factories";
import { readBody } from "../support/google-wallet-stand-in";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const account = { client_email: "wallet@issuer.iam.gserviceaccount.com", private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };

function verifyJwt(jwt: string) {
  const [head, body, signature] = jwt.split(".");
  const ok = createVerify("RSA-SHA256").update(`${head}.${body}`).verify(publicKey, Buffer.from(signature, "base64url"));
  return { ok, header: JSON.parse(Buffer.from(head, "base64url").toString()), claims: JSON.parse(Buffer.from(body, "base64url").toString()) };
}

const card: PassCard = {
  serialNumber: "SER-1",
  authenticationToken: "t".repeat(20),
  number: "2026004277",
  holderName: "Anna Petrova",
  balance: 1250,
  discount: 10,
  expiresAt: null,
  custom: {},
  voided: false,
};
const ctx: GoogleContext = {
  issuerId: "3388000000012345678",
  templateId: "tpl-1",
  merchantName: "Кофейня",
  currency: "RUB",
  appUrl: "https://cards.example.com",
  logoFileId: null,
  heroFileId: null,
  locations: [{ latitude: 55.75, longitude: 37.61, relevantText: { en: "", ru: "" } }],
};

describe("Google Wallet mapping and save link", () => {
  it.each(TEMPLATE_KINDS)("maps a %s template to its class and a card to its object", (kind) => {
    const def = defaultDefinition(kind, "Кофейня");
    def.description = { en: "Coffee card", ru: "Карта кофейни" };
    const cls = templateToClass(kind, def, ctx);
    const object = cardToObject(kind, def, card, ctx);
    const expected = { loyalty: "loyalty", stamp: "loyalty", gift: "giftCard", coupon: "offer", membership: "generic", generic: "generic" }[kind];
    expect(cls.type).toBe(`${expected}Class`);
    expect(object.type).toBe(`${expected}Object`);
    expect(cls.body.id).toBe("3388000000012345678.tpl-1");
    expect(object.body).toMatchObject({
      id: "3388000000012345678.SER-1",
      classId: "3388000000012345678.tpl-1",
      state: "ACTIVE",
      barcode: { type: "QR_CODE", value: "2026004277" },
    });
    expect(cls.body.merchantLocations).toEqual([{ latitude: 55.75, longitude: 37.61 }]);
    if (cls.type === "loyaltyClass" || cls.type === "giftCardClass") {
      expect((cls.body as { programLogo?: { sourceUri?: { uri?: string } } }).programLogo?.sourceUri?.uri).toMatch(
        /^https:\/\/cards\.example\.com\/api\/passes\/default-logo\?c=[0-9a-f]{6}$/i,
      );
    }
  });

  it("writes the balance of a gift card as money and a loyalty balance as points", () => {
    const gift = cardToObject("gift", defaultDefinition("gift", "M"), card, ctx);
    expect(gift.body).toMatchObject({ cardNumber: "2026004277", balance: { micros: "12500000", currencyCode: "RUB" } });
    const loyalty = cardToObject("loyalty", defaultDefinition("loyalty", "M"), card, ctx);
    expect(loyalty.body).toMatchObject({
      accountId: "2026004277",
      accountName: "Anna Petrova",
      loyaltyPoints: { label: "Points", balance: { string: "1,250" } },
    });
    const voided = cardToObject("loyalty", defaultDefinition("loyalty", "M"), { ...card, voided: true }, ctx);
    expect(voided.body.state).toBe("INACTIVE");
  });

  it("builds a save link whose RS256 JWT verifies with the public key and carries the claims, class and object", () => {
    const def = defaultDefinition("loyalty", "M");
    const url = saveToWalletUrl(
      account,
      templateToClass("loyalty", def, ctx),
      cardToObject("loyalty", def, card, ctx),
      ["https://cards.example.com"],
      new Date("2026-11-23T10:00:00Z"),
    );
    expect(url.startsWith(SAVE_URL)).toBe(true);
    const { ok, header, claims } = verifyJwt(url.slice(SAVE_URL.length));
    expect(ok).toBe(true);
    expect(header).toEqual({ alg: "RS256", typ: "JWT" });
    expect(claims).toMatchObject({ iss: account.client_email, aud: "google", typ: "savetowallet", iat: 1795428000, origins: ["https://cards.example.com"] });
    expect(claims.payload.loyaltyClasses[0].id).toBe("3388000000012345678.tpl-1");
    expect(claims.payload.loyaltyObjects[0]).toMatchObject({ id: "3388000000012345678.SER-1", classId: "3388000000012345678.tpl-1" });
    const [head, body, signature] = url.slice(SAVE_URL.length).split(".");
    const otherBody = Buffer.from(JSON.stringify({ ...claims, iss: "attacker@example.com" })).toString("base64url");
    expect(verifyJwt([head, otherBody, signature].join(".")).ok).toBe(false);
    expect(body).not.toBe(otherBody);
  });
});

describe("Google service account", () => {
  it.each([
    ["not JSON", "{", "3388000000012345678", "serviceAccount", "certificates.google.errors.json"],
    ["not a service account", JSON.stringify({ type: "user" }), "3388000000012345678", "serviceAccount", "certificates.google.errors.notServiceAccount"],
    [
      "an unreadable key",
      JSON.stringify({ type: "service_account", client_email: "a@b.c", private_key: "nope" }),
      "3388000000012345678",
      "serviceAccount",
      "certificates.google.errors.key",
    ],
    ["a bad issuer id", JSON.stringify({ type: "service_account", ...account }), "12ab", "issuerId", "certificates.google.errors.issuerId"],
  ])("refuses %s, naming the field", (_what, json, issuerId, field, message) => {
    expect(() => parseServiceAccount(json, issuerId)).toThrow(expect.objectContaining({ fieldErrors: { [field]: message } }));
  });

  it("uses a development key made once until the merchant uploads its own, kept apart per merchant", async () => {
    const db = getDb();
    const a = await createTestMerchant();
    const b = await createTestMerchant();
    const dev = await getGoogleIssuer(db, a.merchant.id);
    expect(dev.development).toBe(true);
    expect((await getGoogleIssuer(db, a.merchant.id)).account.private_key).toBe(dev.account.private_key);
    await saveGoogleIssuer(db, a.actor, parseServiceAccount(JSON.stringify({ type: "service_account", ...account }), "3388000000012345678"));
    expect(await getGoogleIssuer(db, a.merchant.id)).toMatchObject({
      development: false,
      issuerId: "3388000000012345678",
      account: { client_email: account.client_email },
    });
    expect(await getGoogleIssuerStatus(db, b.merchant.id)).toBeNull();
    await expect(removeGoogleIssuer(db, b.actor)).rejects.toMatchObject({ code: "not_found" });
    await removeGoogleIssuer(db, a.actor);
    expect((await getGoogleIssuer(db, a.merchant.id)).development).toBe(true);
  });
});

describe("Google Wallet class sync against a local Wallet REST server", () => {
  const classes = new Map<string, unknown>();
  const log: string[] = [];
  let tokenRequests = 0;
  let baseUrl = "";
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/token") {
      tokenRequests += 1;
      const assertion = new URLSearchParams(body).get("assertion") ?? "";
      const { ok, claims } = verifyJwt(assertion);
      if (!ok || claims.scope !== "https://www.googleapis.com/auth/wallet_object.issuer") return res.writeHead(401).end("bad assertion");
      return res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ access_token: "token-1", expires_in: 3600, token_type: "Bearer" }));
    }
    if (req.headers.authorization !== "Bearer token-1") return res.writeHead(401).end();
    const match = url.pathname.match(/^\/walletobjects\/v1\/(\w+)(?:\/(.+))?$/);
    if (!match) return res.writeHead(404).end();
    const [, type, id] = match;
    log.push(`${req.method} ${type}${id ? "/" + decodeURIComponent(id) : ""}`);
    const key = `${type}/${decodeURIComponent(id ?? "")}`;
    if (req.method === "GET")
      return classes.has(key) ? res.writeHead(200).end(JSON.stringify(classes.get(key))) : res.writeHead(404).end(JSON.stringify({ error: { code: 404 } }));
    const parsed = JSON.parse(body) as { id: string };
    if (req.method === "POST") {
      classes.set(`${type}/${parsed.id}`, parsed);
      return res.writeHead(200).end(body);
    }
    if (req.method === "PATCH") {
      classes.set(key, { ...(classes.get(key) as object), ...parsed });
      return res.writeHead(200).end(body);
    }
    res.writeHead(405).end();
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("inserts a class Google does not have, patches it afterwards, with a service-account token", async () => {
    const client = createWalletClient({ account, baseUrl, tokenUrl: `${baseUrl}/token` });
    const def = defaultDefinition("gift", "M");
    const cls = templateToClass("gift", def, ctx);
    expect(await client.syncClass(cls)).toBe("inserted");
    const changed = templateToClass("gift", { ...def, design: { ...def.design, backgroundColor: "#112233" } }, ctx);
    expect(await client.syncClass(changed)).toBe("patched");
    expect(log).toEqual([
      "GET giftCardClass/3388000000012345678.tpl-1",
      "POST giftCardClass",
      "GET giftCardClass/3388000000012345678.tpl-1",
      "PATCH giftCardClass/3388000000012345678.tpl-1",
    ]);
    expect(classes.get("giftCardClass/3388000000012345678.tpl-1")).toMatchObject({ hexBackgroundColor: "#112233" });
  });

  it("syncs a template's class on save for a merchant with its own service account, and skips development keys", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    const template = await createTemplate(db, m.actor, { name: "Coffee", kind: "loyalty" });
    const endpoints = { baseUrl, tokenUrl: `${baseUrl}/token` };
    expect(await syncTemplateClass(db, m.merchant.id, template.id, endpoints)).toBe("skipped");
    await saveGoogleIssuer(db, m.actor, parseServiceAccount(JSON.stringify({ type: "service_account", ...account }), "3388000000099999999"));
    expect(await syncTemplateClass(db, m.merchant.id, template.id, endpoints)).toBe("inserted");
    expect(await syncTemplateClass(db, m.merchant.id, template.id, endpoints)).toBe("patched");
    expect(classes.get(`loyaltyClass/3388000000099999999.${template.id}`)).toMatchObject({ issuerName: m.merchant.name });
  });

  it("keeps one client per issuer account: many syncs, one OAuth token", async () => {
    const db = getDb();
    const m = await createTestMerchant();
    await saveGoogleIssuer(db, m.actor, parseServiceAccount(JSON.stringify({ type: "service_account", ...account }), "3388000000077777777"));
    const endpoints = { baseUrl, tokenUrl: `${baseUrl}/token` };
    expect(getWalletClient({ account, ...endpoints })).toBe(getWalletClient({ account: { ...account }, ...endpoints }));
    const before = tokenRequests;
    for (const name of ["A", "B", "C"]) {
      const template = await createTemplate(db, m.actor, { name, kind: "loyalty" });
      expect(await syncTemplateClass(db, m.merchant.id, template.id, endpoints)).toBe("inserted");
    }
    expect(tokenRequests - before).toBeLessThanOrEqual(1);
  });

  it("reports a refused token with the server's status", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const client = createWalletClient({ account: { ...account, private_key: other }, baseUrl, tokenUrl: `${baseUrl}/token` });
    await expect(client.syncClass(templateToClass("loyalty", defaultDefinition("loyalty", "M"), ctx))).rejects.toMatchObject({ status: 401 });
  });
});
