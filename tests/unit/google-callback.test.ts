import { createPublicKey, createVerify } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CallbackVerificationError,
  type CallbackRejection,
  clearGoogleRootKeysCache,
  fetchGoogleRootKeys,
  lengthValue,
  peekCallbackMessage,
  verifyGoogleCallback,
} from "@/lib/wallet/google/callback-signature";
import { createGoogleCallbackSigner } from "../support/google-callback-signer";

const ISSUER = "3388000000022141777";
const classId = `${ISSUER}.loyalty-1`;
const objectId = `${ISSUER}.card-42`;
const signer = createGoogleCallbackSigner();
const rootKeys = signer.rootKeysJson.keys;

function rejection(run: () => unknown): CallbackRejection | "accepted" {
  try {
    run();
    return "accepted";
  } catch (err) {
    if (err instanceof CallbackVerificationError) return err.reason;
    throw err;
  }
}

const verify = (body: unknown, recipientId = ISSUER, now?: Date) => verifyGoogleCallback(body, { recipientId, rootKeys, now });

describe("verifyGoogleCallback", () => {
  it("accepts a save and a del, returning the signed fields", () => {
    const expTimeMillis = Date.now() + 60_000;
    const save = signer.sign({ classId, objectId, eventType: "save", expTimeMillis, nonce: "nonce-save" }, { recipientId: ISSUER });
    expect(verify(save)).toEqual({ classId, objectId, eventType: "save", expTimeMillis, nonce: "nonce-save" });

    const del = signer.sign({ classId, objectId, eventType: "del" });
    const message = verify(JSON.stringify(del));
    expect(message).toMatchObject({ classId, objectId, eventType: "del" });
    expect(message.nonce).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("produces bodies in Google's shape, with the signed key escaped as Gson does", () => {
    const body = signer.sign({ classId, objectId, eventType: "save" });
    expect(Object.keys(body).sort()).toEqual(["intermediateSigningKey", "protocolVersion", "signature", "signedMessage"]);
    expect(body.protocolVersion).toBe("ECv2SigningOnly");
    expect(body.intermediateSigningKey.signedKey).toContain("\\u003d");
    expect(Object.keys(JSON.parse(body.signedMessage))).toEqual(["classId", "objectId", "eventType", "expTimeMillis", "count", "nonce"]);
    expect(rootKeys[0]).toEqual({
      keyValue: expect.stringMatching(/^MFkw/),
      protocolVersion: "ECv2SigningOnly",
      keyExpiration: expect.stringMatching(/^\d{13}$/),
    });
  });

  it("refuses a tampered signedMessage and a message signed for another issuer", () => {
    expect(rejection(() => verify(signer.sign({ classId, objectId, eventType: "save" }, { recipientId: ISSUER, tamper: "message" })))).toBe(
      "message_signature",
    );
    const forOther = signer.sign({ classId, objectId, eventType: "save" }, { recipientId: "3388000000099999999" });
    expect(rejection(() => verify(forOther))).toBe("message_signature");
    expect(rejection(() => verify(signer.sign({ classId, objectId, eventType: "save" }), "3388000000099999999"))).toBe("message_signature");
  });

  it("refuses an intermediate key that no trusted root signed, or that was changed after signing", () => {
    const stranger = createGoogleCallbackSigner();
    expect(rejection(() => verify(stranger.sign({ classId, objectId, eventType: "save" })))).toBe("intermediate_signature");
    expect(rejection(() => verify(signer.sign({ classId, objectId, eventType: "save" }, { recipientId: ISSUER, tamper: "intermediate" })))).toBe(
      "intermediate_signature",
    );
  });

  it("refuses when the root key has expired or belongs to another protocol", () => {
    const body = signer.sign({ classId, objectId, eventType: "save" });
    const expiredRoot = [{ ...rootKeys[0], keyExpiration: String(Date.now() - 1) }];
    expect(rejection(() => verifyGoogleCallback(body, { recipientId: ISSUER, rootKeys: expiredRoot }))).toBe("intermediate_signature");
    expect(rejection(() => verifyGoogleCallback(body, { recipientId: ISSUER, rootKeys: [{ ...rootKeys[0], protocolVersion: "ECv2" }] }))).toBe(
      "intermediate_signature",
    );
    expect(rejection(() => verifyGoogleCallback(body, { recipientId: ISSUER, rootKeys: [] }))).toBe("intermediate_signature");
  });

  it("refuses an expired intermediate key and an expired message", () => {
    const staleKey = signer.sign({ classId, objectId, eventType: "save" }, { recipientId: ISSUER, intermediateExpiresAt: new Date(Date.now() - 1000) });
    expect(rejection(() => verify(staleKey))).toBe("intermediate_expired");

    const staleMessage = signer.sign({ classId, objectId, eventType: "del", expTimeMillis: Date.now() - 1000 });
    expect(rejection(() => verify(staleMessage))).toBe("message_expired");

    // The same body is fine before it expires, so `now` is what decides.
    const later = signer.sign({ classId, objectId, eventType: "del", expTimeMillis: Date.now() + 5_000 });
    expect(rejection(() => verify(later))).toBe("accepted");
    expect(rejection(() => verify(later, ISSUER, new Date(Date.now() + 10_000)))).toBe("message_expired");
  });

  it("refuses another protocolVersion", () => {
    const body = { ...signer.sign({ classId, objectId, eventType: "save" }), protocolVersion: "ECv2" };
    expect(rejection(() => verify(body))).toBe("protocol");
  });

  it.each([
    ["text that is not JSON", () => "not json"],
    ["a JSON array", () => "[]"],
    ["null", () => null],
    ["a number", () => 42],
    ["no signature", () => ({ ...signer.sign({ classId, objectId, eventType: "save" }), signature: undefined })],
    ["no signedMessage", () => ({ ...signer.sign({ classId, objectId, eventType: "save" }), signedMessage: undefined })],
    ["no protocolVersion", () => ({ ...signer.sign({ classId, objectId, eventType: "save" }), protocolVersion: undefined })],
    ["no intermediateSigningKey", () => ({ ...signer.sign({ classId, objectId, eventType: "save" }), intermediateSigningKey: undefined })],
    [
      "no key signatures",
      () => {
        const body = signer.sign({ classId, objectId, eventType: "save" });
        return { ...body, intermediateSigningKey: { signedKey: body.intermediateSigningKey.signedKey, signatures: [] } };
      },
    ],
    ["a signature that is not base64", () => ({ ...signer.sign({ classId, objectId, eventType: "save" }), signature: "MEUCIQ!!not-base64" })],
    [
      "a key signature that is not base64",
      () => {
        const body = signer.sign({ classId, objectId, eventType: "save" });
        return { ...body, intermediateSigningKey: { ...body.intermediateSigningKey, signatures: ["%%%"] } };
      },
    ],
  ])("refuses a malformed body: %s", (_name, makeBody) => {
    expect(rejection(() => verify(makeBody()))).toBe("malformed");
  });

  it("refuses a correctly signed message without the fields it must carry", () => {
    expect(rejection(() => verify(signer.sign({ classId, objectId, eventType: "update" })))).toBe("malformed");
  });
});

describe("signed string construction", () => {
  it("prefixes each chunk with its UTF-8 byte length, 4 bytes little-endian", () => {
    expect(lengthValue("GooglePayPasses", "é").toString("hex")).toBe(`0f000000${Buffer.from("GooglePayPasses").toString("hex")}02000000c3a9`);
  });

  it("verifies the message signature of a callback Google really sent", () => {
    // A del callback captured from Google by edutap/wallet_google (tests/test_handlers_validate.py),
    // whose issuer is 3388000000022141777: the intermediate key it carries signed this message.
    const signedMessage =
      '{"classId":"3388000000022141777.lib.edutap.eu","objectId":"3388000000022141777.6b4cbd15-0de7-4fe8-95f6-995a51b4595e.object","eventType":"del","expTimeMillis":1759331348143,"count":1,"nonce":"1a9e3df0-ec10-4a17-8b39-89d2d7f48e3b"}';
    const keyValue = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKb256ssDdmf7DokZ7jsMtAvjiTX2HF1ay8QR1sSA+gFpC/ChhRwVdMEVJTaoAP1MIH38QWtqShiQ63zROaKtgQ==";
    const signature = Buffer.from("MEUCIQC+xKva1ydmNwJJiP2HJJWsteUe02ztTDKExzcWIpmlywIgJwD4HUYvZJg/cr1OL21vVKr0b2ZXt79NblCQ1V18zsc=", "base64");
    const key = createPublicKey({ key: Buffer.from(keyValue, "base64"), format: "der", type: "spki" });
    const verifies = (recipientId: string) =>
      createVerify("SHA256")
        .update(lengthValue("GooglePayPasses", recipientId, "ECv2SigningOnly", signedMessage))
        .verify({ key, dsaEncoding: "der" }, signature);
    expect(verifies("3388000000022141777")).toBe(true);
    expect(verifies("3388000000022141778")).toBe(false);
  });
});

describe("peekCallbackMessage", () => {
  it("reads the issuer id from the classId without verifying", () => {
    const forged = { ...signer.sign({ classId, objectId, eventType: "del" }), signature: "AAAA" };
    expect(peekCallbackMessage(JSON.stringify(forged))).toEqual({ issuerId: ISSUER, classId, objectId, eventType: "del" });
    expect(rejection(() => verify(forged))).toBe("message_signature");
  });

  it("refuses bodies with nothing to peek at", () => {
    expect(rejection(() => peekCallbackMessage("nope"))).toBe("malformed");
    expect(rejection(() => peekCallbackMessage({ signedMessage: "{}" }))).toBe("malformed");
    expect(rejection(() => peekCallbackMessage({ signedMessage: JSON.stringify({ classId: "no-issuer-prefix" }) }))).toBe("malformed");
  });
});

describe("fetchGoogleRootKeys", () => {
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();
  const routes = new Map<string, { status?: number; cacheControl?: string; body: unknown }>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? "/";
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const route = routes.get(path);
      if (!route) return void res.writeHead(404).end();
      res.writeHead(route.status ?? 200, { "content-type": "application/json", ...(route.cacheControl ? { "cache-control": route.cacheControl } : {}) });
      res.end(JSON.stringify(route.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => clearGoogleRootKeysCache());
  afterEach(() => vi.useRealTimers());

  it("returns live ECv2SigningOnly keys that verify callbacks, dropping expired and other-protocol keys", async () => {
    const expired = createGoogleCallbackSigner({ rootExpiresAt: new Date(Date.now() - 1000) });
    routes.set("/mixed", {
      cacheControl: "public, max-age=600",
      body: { keys: [...expired.rootKeysJson.keys, ...rootKeys, { keyValue: rootKeys[0].keyValue, protocolVersion: "ECv1" }] },
    });
    const keys = await fetchGoogleRootKeys(`${base}/mixed`);
    expect(keys).toEqual(rootKeys);
    const body = signer.sign({ classId, objectId, eventType: "save" });
    expect(verifyGoogleCallback(body, { recipientId: ISSUER, rootKeys: keys }).eventType).toBe("save");
  });

  it("serves a second call from memory while max-age is fresh, and downloads again when it is not", async () => {
    routes.set("/cached", { cacheControl: "public, max-age=600", body: signer.rootKeysJson });
    routes.set("/uncached", { cacheControl: "max-age=0", body: signer.rootKeysJson });
    await fetchGoogleRootKeys(`${base}/cached`);
    await fetchGoogleRootKeys(`${base}/cached`);
    expect(hits.get("/cached")).toBe(1);
    await fetchGoogleRootKeys(`${base}/uncached`);
    await fetchGoogleRootKeys(`${base}/uncached`);
    expect(hits.get("/uncached")).toBe(2);
  });

  it("shares one download between concurrent callers", async () => {
    routes.set("/concurrent", { cacheControl: "max-age=600", body: signer.rootKeysJson });
    const [a, b] = await Promise.all([fetchGoogleRootKeys(`${base}/concurrent`), fetchGoogleRootKeys(`${base}/concurrent`)]);
    expect(a).toEqual(b);
    expect(hits.get("/concurrent")).toBe(1);
  });

  it("keeps keys for an hour when Google sends no max-age, and for max-age seconds when it does", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    routes.set("/default", { body: signer.rootKeysJson });
    routes.set("/short", { cacheControl: "max-age=120", body: signer.rootKeysJson });
    await fetchGoogleRootKeys(`${base}/default`);
    await fetchGoogleRootKeys(`${base}/short`);

    vi.setSystemTime(start + 119_000);
    await fetchGoogleRootKeys(`${base}/short`);
    expect(hits.get("/short")).toBe(1);
    vi.setSystemTime(start + 121_000);
    await fetchGoogleRootKeys(`${base}/short`);
    expect(hits.get("/short")).toBe(2);

    vi.setSystemTime(start + 3_599_000);
    await fetchGoogleRootKeys(`${base}/default`);
    expect(hits.get("/default")).toBe(1);
    vi.setSystemTime(start + 3_601_000);
    await fetchGoogleRootKeys(`${base}/default`);
    expect(hits.get("/default")).toBe(2);
  });

  it("drops a cached key once its own expiration passes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const soon = createGoogleCallbackSigner({ rootExpiresAt: new Date(Date.now() + 60_000) });
    routes.set("/lapsing", { cacheControl: "max-age=3600", body: { keys: [...soon.rootKeysJson.keys, ...rootKeys] } });
    expect(await fetchGoogleRootKeys(`${base}/lapsing`)).toHaveLength(2);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await fetchGoogleRootKeys(`${base}/lapsing`)).toEqual(rootKeys);
    expect(hits.get("/lapsing")).toBe(1);
  });

  it("fails on an error answer and caches nothing", async () => {
    routes.set("/down", { status: 503, body: { error: "unavailable" } });
    await expect(fetchGoogleRootKeys(`${base}/down`)).rejects.toThrow(/503/);
    await expect(fetchGoogleRootKeys(`${base}/down`)).rejects.toThrow(/503/);
    expect(hits.get("/down")).toBe(2);
  });
});
