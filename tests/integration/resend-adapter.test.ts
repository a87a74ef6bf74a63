import { randomUUID } from "node:crypto";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResendAdapter } from "@/lib/adapters/email/resend";
import { ProviderError, type EmailMessage, type ProviderErrorCode } from "@/lib/adapters/types";
import { startResendStandIn, type ResendFailure, type ResendStandIn } from "../support/resend-stand-in";

const KEY = "re_test_key";

let resend: ResendStandIn;
beforeAll(async () => {
  resend = await startResendStandIn({ apiKeys: [KEY] });
});
afterAll(() => resend.close());

const adapter = (apiKey = KEY) => createResendAdapter({ apiKey, baseUrl: resend.url });
const unique = () => `anna+${randomUUID().slice(0, 8)}@example.com`;
const message = (overrides: Partial<EmailMessage> = {}): EmailMessage => ({
  from: "Кофейня «Зерно» <cards@coffee.example>",
  to: unique(),
  subject: "Ваша карта готова",
  text: "Добавьте карту в кошелёк: https://cards.example/c/abc",
  ...overrides,
});

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

describe("Resend adapter", () => {
  it("POSTs /emails with the bearer key, the idempotency key and Resend's field names, and returns the id", async () => {
    const sent = message({ html: "<p>Добавьте карту в кошелёк</p>", replyTo: "owner@coffee.example" });
    const result = await adapter().send(sent, { idempotencyKey: "outbox/42" });
    const request = resend.received.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/emails", status: 200 });
    expect(request.headers).toMatchObject({ authorization: `Bearer ${KEY}`, "content-type": "application/json", "idempotency-key": "outbox/42" });
    expect(JSON.parse(request.body)).toEqual({
      from: sent.from,
      to: sent.to,
      subject: sent.subject,
      text: sent.text,
      html: sent.html,
      reply_to: "owner@coffee.example",
    });
    expect(result).toEqual({ providerMessageId: resend.emails.at(-1)!.id });
    expect(resend.emails.at(-1)).toMatchObject({ to: [sent.to], subject: "Ваша карта готова", replyTo: ["owner@coffee.example"] });
  });

  it("sends only the fields it has, and no Idempotency-Key unless given one", async () => {
    await adapter().send(message());
    const request = resend.received.at(-1)!;
    expect(Object.keys(JSON.parse(request.body)).sort()).toEqual(["from", "subject", "text", "to"]);
    expect(request.headers).not.toHaveProperty("idempotency-key");
  });

  it("gets the first answer back, and sends once, when a retry reuses the idempotency key", async () => {
    const sent = message();
    const key = `outbox/${randomUUID()}`;
    const first = await adapter().send(sent, { idempotencyKey: key });
    const again = await adapter().send(sent, { idempotencyKey: key });
    expect(again).toEqual(first);
    expect(resend.emails.filter((email) => email.idempotencyKey === key)).toHaveLength(1);
  });

  type Case = {
    name: string;
    apiKey?: string;
    failure?: ResendFailure;
    arrange?(): Promise<{ sent: EmailMessage; key?: string }>;
    overrides?: Partial<EmailMessage>;
    code: ProviderErrorCode;
    temporary: boolean;
    message: RegExp;
    detail: RegExp;
  };
  const cases: Case[] = [
    {
      name: "an unknown API key (403)",
      apiKey: "re_wrong",
      code: "auth",
      temporary: false,
      message: /did not accept the API key: API key is invalid/,
      detail: /^resend 403 invalid_api_key/,
    },
    {
      name: "no API key (refused before any request)",
      apiKey: "",
      code: "auth",
      temporary: false,
      message: /did not accept the API key/,
      detail: /^resend: API key missing$/,
    },
    {
      name: "a key restricted to other work (401)",
      failure: { status: 401, name: "restricted_api_key", message: "This API key is restricted to only send emails." },
      code: "auth",
      temporary: false,
      message: /API key/,
      detail: /^resend 401 restricted_api_key/,
    },
    {
      name: "an unverified sending domain (403 validation_error)",
      failure: { status: 403, name: "validation_error", message: "You can only send testing emails to your own email address (owner@coffee.example)." },
      code: "sender_not_approved",
      temporary: false,
      message: /domain is verified in Resend: You can only send testing emails/,
      detail: /^resend 403 validation_error/,
    },
    {
      name: "a malformed from address (422)",
      overrides: { from: "coffee shop" },
      code: "message_rejected",
      temporary: false,
      message: /refused the e-mail: Invalid `from` field/,
      detail: /^resend 422 invalid_from_address/,
    },
    {
      name: "a field Resend rejects (422)",
      failure: { status: 422, name: "validation_error", message: "Invalid `to` field." },
      code: "message_rejected",
      temporary: false,
      message: /Invalid `to` field/,
      detail: /^resend 422 validation_error/,
    },
    {
      name: "too many requests (429)",
      failure: { status: 429, name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second.", retryAfterSeconds: 1 },
      code: "rate_limited",
      temporary: true,
      message: /limiting/,
      detail: /^resend 429 rate_limit_exceeded/,
    },
    {
      name: "the daily quota (429)",
      failure: { status: 429, name: "daily_quota_exceeded", message: "You have reached your daily email sending quota." },
      code: "daily_limit",
      temporary: false,
      message: /daily sending quota/,
      detail: /^resend 429 daily_quota_exceeded/,
    },
    {
      name: "the monthly quota (429) keeps Resend's text",
      failure: { status: 429, name: "monthly_quota_exceeded", message: "You have reached your monthly email sending quota." },
      code: "unknown",
      temporary: false,
      message: /monthly sending quota is used up: You have reached/,
      detail: /^resend 429 monthly_quota_exceeded/,
    },
    {
      name: "a Resend outage (500)",
      failure: { status: 500, name: "application_error", message: "An unexpected error occurred." },
      code: "unavailable",
      temporary: true,
      message: /temporarily unavailable/,
      detail: /^resend 500 application_error/,
    },
    {
      name: "an idempotency key reused for another e-mail (409)",
      arrange: async () => {
        const key = `outbox/${randomUUID()}`;
        await adapter().send(message(), { idempotencyKey: key });
        return { sent: message(), key };
      },
      code: "unknown",
      temporary: false,
      message: /Same idempotency key used with a different request payload/,
      detail: /^resend 409 invalid_idempotent_request/,
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))("maps %s", async (_name, c) => {
    const prepared = c.arrange ? await c.arrange() : { sent: message(c.overrides) };
    if (c.failure) resend.failRecipient(prepared.sent.to, c.failure);
    const before = resend.emails.length;
    const error = await refusal(adapter(c.apiKey ?? KEY).send(prepared.sent, { idempotencyKey: prepared.key }));
    expect({ code: error.code, temporary: error.temporary }).toEqual({ code: c.code, temporary: c.temporary });
    expect(error.message).toMatch(c.message);
    expect(error.providerDetail).toMatch(c.detail);
    expect(resend.emails).toHaveLength(before);
  });

  it("treats an unreachable Resend as temporary", async () => {
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await refusal(createResendAdapter({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}` }).send(message()));
    expect({ code: error.code, temporary: error.temporary }).toEqual({ code: "unavailable", temporary: true });
    // The SDK keeps the network error's cause to itself; that there was no answer is what matters.
    expect(error.providerDetail).toMatch(/^resend network: /);
  });

  it("gives up on a silent Resend after timeoutMs, as temporary", async () => {
    const server = createTcpServer(() => {}); // accepts and never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const error = await refusal(createResendAdapter({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 150 }).send(message()));
      expect({ code: error.code, temporary: error.temporary, detail: error.providerDetail }).toEqual({
        code: "unavailable",
        temporary: true,
        detail: "resend network: no answer in 150 ms",
      });
    } finally {
      server.close();
    }
  });

  it("goes through the official SDK to RESEND_URL, whatever the SDK's own variables say", async () => {
    const saved = { base: process.env.RESEND_BASE_URL, key: process.env.RESEND_API_KEY };
    process.env.RESEND_BASE_URL = "http://127.0.0.1:9/not-here";
    process.env.RESEND_API_KEY = KEY;
    try {
      await adapter().send(message());
      expect(resend.received.at(-1)!.headers["user-agent"]).toMatch(/^resend-node:/);
      // An empty merchant key never falls back to the platform's key from the environment.
      const before = resend.received.length;
      expect((await refusal(adapter("").send(message()))).code).toBe("auth");
      expect(resend.received).toHaveLength(before);
    } finally {
      for (const [name, value] of [
        ["RESEND_BASE_URL", saved.base],
        ["RESEND_API_KEY", saved.key],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
