import { randomUUID } from "node:crypto";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmsRuAdapter, type SmsRuConfig } from "@/lib/adapters/sms/sms-ru";
import { createSmscAdapter, type SmscConfig } from "@/lib/adapters/sms/smsc";
import { ProviderError, type ProviderErrorCode } from "@/lib/adapters/types";
import { startSmscStandIn, startSmsRuStandIn, type SmscStandIn, type SmsRuStandIn, type StandInRequest } from "../support/sms-stand-ins";

const PHONE = "+79161234567";
// Cyrillic, a guillemet and a dash: a single UCS-2 part (≤ 70 characters) at 3.50 a part.
const TEXT = "Ваш код: 4821. Карта «Кофейня» — спасибо!";

/** The ProviderError a call rejects with; fails the test if it succeeds or throws anything else. */
async function refusal(call: Promise<unknown>): Promise<ProviderError> {
  const error = await call.then(
    () => {
      throw new Error("expected a ProviderError, but the call succeeded");
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** An address where nothing listens: the port was free a moment ago. */
async function deadUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const phoneNo = (n: number) => `+7916${String(n).padStart(7, "0")}`;
const lastFrom = (received: StandInRequest[], key: string, value: string) => received.filter((r) => r.params[key] === value).at(-1)!;

describe("sms.ru adapter", () => {
  let ru: SmsRuStandIn;
  beforeAll(async () => {
    ru = await startSmsRuStandIn({ pricePerSms: 3.5 });
  });
  afterAll(() => ru.close());
  const smsRu = (config: Partial<SmsRuConfig> & { apiId: string }) => createSmsRuAdapter({ baseUrl: ru.url, ...config });

  it("POSTs /sms/send with the number without '+', the UTF-8 text, the sender and json=1", async () => {
    const apiId = randomUUID();
    const result = await smsRu({ apiId, sender: "CardDesk" }).send({ to: PHONE, text: TEXT });
    const request = lastFrom(ru.received, "api_id", apiId);
    expect(request).toMatchObject({ method: "POST", path: "/sms/send", query: {} });
    expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.params).toEqual({ api_id: apiId, to: "79161234567", msg: TEXT, from: "CardDesk", json: "1" });
    expect(result.providerMessageId).toBe(JSON.parse(request.answer!.body).sms["79161234567"].sms_id);
    expect(result.providerMessageId).toMatch(/^\d{6}-\d+$/);
    // sms.ru's documented send answer has no per-number cost; status() reports it once billed.
    expect(result.costMinor).toBeUndefined();
  });

  it("leaves out `from` when no sender is configured", async () => {
    const apiId = randomUUID();
    await smsRu({ apiId }).send({ to: PHONE, text: "hello" });
    expect(lastFrom(ru.received, "api_id", apiId).params).not.toHaveProperty("from");
  });

  type Case = {
    name: string;
    arrange(apiId: string, phone: string): void;
    code: ProviderErrorCode;
    temporary: boolean;
    message: RegExp;
    detail: RegExp;
    overallOk?: boolean;
  };
  const cases: Case[] = [
    {
      name: "invalid api_id (200)",
      arrange: (k) => ru.failApiId(k, 200),
      code: "auth",
      temporary: false,
      message: /API key/,
      detail: /^sms\.ru 200: Неправильный api_id$/,
    },
    {
      name: "no money left on the account",
      arrange: (k) => ru.setBalance(k, 1),
      code: "insufficient_funds",
      temporary: false,
      message: /run out of money/,
      detail: /^sms\.ru 201/,
    },
    {
      name: "sender not approved (204)",
      arrange: (k) => ru.failApiId(k, 204),
      code: "sender_not_approved",
      temporary: false,
      message: /sender name "CardDesk"/,
      detail: /^sms\.ru 204/,
    },
    {
      name: "daily limit (206)",
      arrange: (k) => ru.failApiId(k, 206),
      code: "daily_limit",
      temporary: false,
      message: /daily sending limit/,
      detail: /^sms\.ru 206/,
    },
    {
      name: "number refused inside an OK answer (207)",
      arrange: (_, p) => ru.failPhone(p, 207),
      code: "number_blocked",
      temporary: false,
      message: /will not send to this number/,
      detail: /^sms\.ru 207/,
      overallOk: true,
    },
    {
      name: "number in the account's stop-list (209)",
      arrange: (_, p) => ru.failPhone(p, 209),
      code: "number_blocked",
      temporary: false,
      message: /stop-list/,
      detail: /^sms\.ru 209/,
      overallOk: true,
    },
    {
      name: "number sms.ru cannot parse (202)",
      arrange: (_, p) => ru.failPhone(p, 202),
      code: "invalid_number",
      temporary: false,
      message: /not valid/,
      detail: /^sms\.ru 202/,
      overallOk: true,
    },
    {
      name: "identical messages per minute (231)",
      arrange: (_, p) => ru.failPhone(p, 231),
      code: "rate_limited",
      temporary: true,
      message: /per-minute limit/,
      detail: /^sms\.ru 231/,
      overallOk: true,
    },
    {
      name: "service temporarily unavailable (220)",
      arrange: (k) => ru.failApiId(k, 220),
      code: "unavailable",
      temporary: true,
      message: /temporarily unavailable/,
      detail: /^sms\.ru 220/,
    },
    {
      name: "HTTP 500 with an HTML page",
      arrange: (k) => ru.failApiId(k, { httpStatus: 500 }),
      code: "unavailable",
      temporary: true,
      message: /temporarily unavailable/,
      detail: /^sms\.ru HTTP 500: <html>/,
    },
    {
      name: "HTTP 429 from a proxy",
      arrange: (k) => ru.failApiId(k, { httpStatus: 429, body: "slow down" }),
      code: "rate_limited",
      temporary: true,
      message: /limiting/,
      detail: /^sms\.ru HTTP 429: slow down$/,
    },
    {
      name: "a code with no mapping (212) keeps sms.ru's text",
      arrange: (k) => ru.failApiId(k, 212),
      code: "unknown",
      temporary: false,
      message: /refused the message: Текст сообщения необходимо передать в кодировке UTF-8/,
      detail: /^sms\.ru 212/,
    },
  ];

  it.each(cases.map((c, i) => [c.name, c, i] as const))("maps %s", async (_name, c, i) => {
    const apiId = randomUUID();
    const phone = phoneNo(100 + i);
    c.arrange(apiId, phone);
    const error = await refusal(smsRu({ apiId, sender: "CardDesk" }).send({ to: phone, text: TEXT }));
    expect({ code: error.code, temporary: error.temporary }).toEqual({ code: c.code, temporary: c.temporary });
    expect(error.message).toMatch(c.message);
    expect(error.providerDetail).toMatch(c.detail);
    if (c.overallOk) expect(JSON.parse(lastFrom(ru.received, "api_id", apiId).answer!.body)).toMatchObject({ status: "OK", status_code: 100 });
  });

  it("refuses a number that is not E.164 without calling sms.ru", async () => {
    const before = ru.received.length;
    const error = await refusal(smsRu({ apiId: randomUUID() }).send({ to: "8 (916) 123-45-67", text: TEXT }));
    expect(error.code).toBe("invalid_number");
    expect(ru.received).toHaveLength(before);
  });

  it("treats an unreachable sms.ru as temporary", async () => {
    const error = await refusal(createSmsRuAdapter({ apiId: "k", baseUrl: await deadUrl() }).send({ to: PHONE, text: TEXT }));
    expect({ code: error.code, temporary: error.temporary }).toEqual({ code: "unavailable", temporary: true });
    expect(error.providerDetail).toMatch(/^sms\.ru network: .*ECONNREFUSED/);
  });

  it("gives up on a silent sms.ru after timeoutMs, as temporary", async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const error = await refusal(createSmsRuAdapter({ apiId: "k", baseUrl: url, timeoutMs: 150 }).send({ to: PHONE, text: TEXT }));
      expect({ code: error.code, temporary: error.temporary, detail: error.providerDetail }).toEqual({
        code: "unavailable",
        temporary: true,
        detail: "sms.ru network: no answer in 150 ms",
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("reads the balance from GET /my/balance in kopecks", async () => {
    const apiId = randomUUID();
    ru.setBalance(apiId, 4122.56);
    await expect(smsRu({ apiId }).balance!()).resolves.toEqual({ amount: 412256, currency: "RUB" });
    const request = lastFrom(ru.received, "api_id", apiId);
    expect(request).toMatchObject({ method: "GET", path: "/my/balance", query: { api_id: apiId, json: "1" } });
    const error = await refusal(smsRu({ apiId: "" }).balance!());
    expect(error.code).toBe("auth");
  });

  it("reports delivery from GET /sms/status: queued, delivered with its cost, failed with the reason", async () => {
    const apiId = randomUUID();
    const adapter = smsRu({ apiId });
    const { providerMessageId: id } = await adapter.send({ to: PHONE, text: TEXT });
    await expect(adapter.status!(id, PHONE)).resolves.toEqual({ status: "queued", costMinor: 350 });
    expect(lastFrom(ru.received, "api_id", apiId)).toMatchObject({ method: "GET", path: "/sms/status", query: { api_id: apiId, sms_id: id, json: "1" } });
    ru.setStatus(id, 102);
    await expect(adapter.status!(id, PHONE)).resolves.toMatchObject({ status: "sent" });
    ru.setStatus(id, 103);
    await expect(adapter.status!(id, PHONE)).resolves.toEqual({ status: "delivered", costMinor: 350 });
    ru.setStatus(id, 104);
    await expect(adapter.status!(id, PHONE)).resolves.toEqual({ status: "failed", reason: "not delivered: its lifetime expired", costMinor: 350 });
    await expect(adapter.status!("000000-1", PHONE)).resolves.toEqual({ status: "failed", reason: "sms.ru has no message with this id" });
  });
});

describe("smsc.ru adapter", () => {
  const KEYS = Array.from({ length: 12 }, (_, i) => `smsc-key-${i}`);
  let smsc: SmscStandIn;
  beforeAll(async () => {
    smsc = await startSmscStandIn({ accounts: { shop: "s3cret" }, apiKeys: KEYS, pricePerSms: 3.5 });
  });
  afterAll(() => smsc.close());
  const smscWith = (config: Partial<SmscConfig>) => createSmscAdapter({ baseUrl: smsc.url, ...config });

  it("POSTs /sys/send.php with login, psw, the number without '+', UTF-8 text, sender, cost=3 and fmt=3", async () => {
    const result = await smscWith({ login: "shop", password: "s3cret", sender: "CardDesk" }).send({ to: PHONE, text: TEXT });
    const request = lastFrom(smsc.received, "login", "shop");
    expect(request).toMatchObject({ method: "POST", path: "/sys/send.php", query: {} });
    expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.params).toEqual({
      login: "shop",
      psw: "s3cret",
      phones: "79161234567",
      mes: TEXT,
      sender: "CardDesk",
      cost: "3",
      fmt: "3",
      charset: "utf-8",
    });
    const answer = JSON.parse(request.answer!.body);
    expect(answer).toMatchObject({ cnt: 1, cost: "3.50" });
    expect(result).toEqual({ providerMessageId: String(answer.id), costMinor: 350, currency: "RUB" });
  });

  it("authenticates with the API key alone when one is set", async () => {
    await smscWith({ apiKey: KEYS[0] }).send({ to: PHONE, text: "hello" });
    const params = lastFrom(smsc.received, "apikey", KEYS[0]).params;
    expect(params).toMatchObject({ apikey: KEYS[0], phones: "79161234567", mes: "hello" });
    expect(params).not.toHaveProperty("login");
    expect(params).not.toHaveProperty("psw");
    expect(params).not.toHaveProperty("sender");
  });

  it("will not start without a login and password or an API key", () => {
    expect(() => createSmscAdapter({ login: "shop" })).toThrow(expect.objectContaining({ name: "ProviderError", code: "auth" }));
  });

  type Case = {
    name: string;
    config?: Partial<SmscConfig>;
    arrange(key: string, phone: string): void;
    code: ProviderErrorCode;
    temporary: boolean;
    message: RegExp;
    detail: RegExp;
    carriesId?: boolean;
  };
  const cases: Case[] = [
    {
      name: "wrong password (2)",
      config: { login: "shop", password: "wrong" },
      arrange: () => {},
      code: "auth",
      temporary: false,
      message: /login and password or API key/,
      detail: /^smsc\.ru 2: authorise error$/,
    },
    {
      name: "no money (3)",
      arrange: (k) => smsc.setBalance(k, 0),
      code: "insufficient_funds",
      temporary: false,
      message: /run out of money/,
      detail: /^smsc\.ru 3: no money$/,
      carriesId: true,
    },
    {
      name: "IP blocked for a while (4)",
      arrange: (k) => smsc.failAccount(k, 4),
      code: "rate_limited",
      temporary: true,
      message: /blocked this server's IP/,
      detail: /^smsc\.ru 4/,
    },
    {
      name: "message or sender forbidden (6)",
      config: { sender: "CardDesk" },
      arrange: (_, p) => smsc.failPhone(p, 6),
      code: "message_rejected",
      temporary: false,
      message: /text or the sender name is not allowed \(sender "CardDesk"\)/,
      detail: /^smsc\.ru 6: message is denied$/,
      carriesId: true,
    },
    {
      name: "number format (7)",
      arrange: (_, p) => smsc.failPhone(p, 7),
      code: "invalid_number",
      temporary: false,
      message: /number format is wrong/,
      detail: /^smsc\.ru 7/,
      carriesId: true,
    },
    {
      name: "undeliverable number (8)",
      arrange: (_, p) => smsc.failPhone(p, 8),
      code: "number_blocked",
      temporary: false,
      message: /cannot deliver/,
      detail: /^smsc\.ru 8/,
      carriesId: true,
    },
    {
      name: "too many requests (9)",
      arrange: (k) => smsc.failAccount(k, 9),
      code: "rate_limited",
      temporary: true,
      message: /too many/,
      detail: /^smsc\.ru 9/,
    },
    {
      name: "parameters error (1) keeps smsc.ru's text",
      arrange: (k) => smsc.failAccount(k, 1),
      code: "unknown",
      temporary: false,
      message: /refused the request: parameters error/,
      detail: /^smsc\.ru 1/,
    },
    {
      name: "HTTP 502 from the front end",
      arrange: (k) => smsc.failAccount(k, { httpStatus: 502 }),
      code: "unavailable",
      temporary: true,
      message: /temporarily unavailable/,
      detail: /^smsc\.ru HTTP 502/,
    },
  ];

  it.each(cases.map((c, i) => [c.name, c, i] as const))("maps %s", async (_name, c, i) => {
    const key = KEYS[i + 1];
    const phone = phoneNo(200 + i);
    c.arrange(key, phone);
    const error = await refusal(smscWith({ apiKey: c.config?.login ? undefined : key, ...c.config }).send({ to: phone, text: TEXT }));
    expect({ code: error.code, temporary: error.temporary }).toEqual({ code: c.code, temporary: c.temporary });
    expect(error.message).toMatch(c.message);
    expect(error.providerDetail).toMatch(c.detail);
    if (c.carriesId) expect(JSON.parse(smsc.received.at(-1)!.answer!.body)).toHaveProperty("id");
  });

  it("treats an unreachable smsc.ru as temporary", async () => {
    const error = await refusal(createSmscAdapter({ apiKey: "k", baseUrl: await deadUrl() }).send({ to: PHONE, text: TEXT }));
    expect({ code: error.code, temporary: error.temporary }).toEqual({ code: "unavailable", temporary: true });
  });

  it("reads the balance from /sys/balance.php in minor units and the account's currency", async () => {
    smsc.setBalance("shop", 1205.3);
    await expect(smscWith({ login: "shop", password: "s3cret" }).balance!()).resolves.toEqual({ amount: 120530, currency: "RUB" });
    expect(lastFrom(smsc.received, "login", "shop")).toMatchObject({ path: "/sys/balance.php", params: { cur: "1", fmt: "3", psw: "s3cret" } });
  });

  it("reports delivery from /sys/status.php: at the operator, delivered, failed with the reason", async () => {
    const adapter = smscWith({ apiKey: KEYS[0] });
    const { providerMessageId: id } = await adapter.send({ to: PHONE, text: TEXT });
    await expect(adapter.status!(id, PHONE)).resolves.toEqual({ status: "sent" });
    expect(lastFrom(smsc.received, "apikey", KEYS[0])).toMatchObject({ path: "/sys/status.php", params: { phone: "79161234567", id, fmt: "3" } });
    smsc.setStatus(id, 1);
    await expect(adapter.status!(id, PHONE)).resolves.toEqual({ status: "delivered" });
    smsc.setStatus(id, 20, 13);
    await expect(adapter.status!(id, PHONE)).resolves.toEqual({ status: "failed", reason: "not delivered: cannot be delivered (operator error 13)" });
    await expect(adapter.status!(id, "+79160000000")).resolves.toEqual({ status: "failed", reason: "smsc.ru has no message with this id for this number" });
  });
});
