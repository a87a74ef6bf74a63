import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { webhookDeliveries } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { deliverWebhooks } from "@/lib/webhooks/deliver";
import { sendTestEvent } from "@/lib/webhooks/deliveries";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { addressRefusal, resolver, type RefusalReason } from "@/lib/webhooks/ssrf";
import { createTestMerchant } from "../factories";
import { startReceiver } from "../support/webhook-receiver";

/** Every refused range, in the forms an attacker would write it, and the reason told. */
const REFUSED: [address: string, reason: RefusalReason][] = [
  ["127.0.0.1", "loopback"],
  ["127.255.0.9", "loopback"],
  ["::1", "loopback"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.254", "private"],
  ["192.168.1.1", "private"],
  ["100.64.0.1", "shared"],
  ["100.127.255.255", "shared"],
  ["198.18.0.1", "benchmark"],
  ["198.19.255.255", "benchmark"],
  ["169.254.169.254", "link_local"],
  ["fe80::1", "link_local"],
  ["febf::1", "link_local"],
  ["fc00::1", "unique_local"],
  ["fd12:3456::1", "unique_local"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["::", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["ff02::1", "multicast"],
  ["255.255.255.255", "reserved"],
  // IPv6 forms that carry a refused IPv4 address.
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:169.254.169.254", "link_local"],
  ["::ffff:a9fe:a9fe", "link_local"],
  ["0:0:0:0:0:ffff:10.0.0.1", "private"],
  ["64:ff9b::169.254.169.254", "link_local"],
  ["64:ff9b::a00:1", "private"],
  ["2002:a9fe:a9fe::1", "link_local"],
  ["2002:c0a8:0101::", "private"],
  ["::127.0.0.1", "loopback"],
];

const ALLOWED = ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "198.20.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "2002:0808:0808::1"];

const realLookup = resolver.lookup;
afterEach(() => {
  resolver.lookup = realLookup;
  process.env.WEBHOOK_ALLOW_LOOPBACK = "true";
});

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

async function refusal(url: string): Promise<AppError> {
  const m = await createTestMerchant();
  const err = await createEndpoint(getDb(), m.actor, { url, events: ["*"] }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("webhooks — SSRF", () => {
  it.each(REFUSED)("refuses %s (%s)", (address, reason) => {
    process.env.WEBHOOK_ALLOW_LOOPBACK = "false";
    expect(addressRefusal(address)).toBe(reason);
  });

  it.each(ALLOWED)("allows the public address %s", (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it("WEBHOOK_ALLOW_LOOPBACK lets 127/8 and ::1 through, never private, link-local or a mapped loopback", () => {
    process.env.WEBHOOK_ALLOW_LOOPBACK = "true";
    expect(addressRefusal("127.0.0.1")).toBeNull();
    expect(addressRefusal("::1")).toBeNull();
    expect(addressRefusal("10.0.0.1")).toBe("private");
    expect(addressRefusal("169.254.169.254")).toBe("link_local");
    expect(addressRefusal("::ffff:127.0.0.1")).toBe("loopback");
  });

  it("answers a refused address at save time as a validation error with the reason", async () => {
    process.env.WEBHOOK_ALLOW_LOOPBACK = "false";
    for (const [url, reason] of [
      ["https://169.254.169.254/latest/meta-data", "link_local"],
      ["https://[::ffff:10.0.0.1]/hook", "private"],
      ["https://[fd00::1]/hook", "unique_local"],
      ["http://127.0.0.1:8080/hook", "loopback"],
      ["ftp://example.com/hook", "scheme"],
      ["https://user:pw@example.com/hook", "credentials"],
      ["not a url", "invalid_url"],
    ] as const) {
      const err = await refusal(url);
      expect(err.code).toBe("validation");
      expect(err.data).toMatchObject({ reason });
      expect(err.fieldErrors).toEqual({ url: `webhooks.errors.address.${reason}` });
    }
  });

  it("resolves a name at save time and refuses when any address it has is refused", async () => {
    resolver.lookup = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ];
    const err = await refusal("https://mixed.example.test/hook");
    expect(err.data).toMatchObject({ reason: "private", address: "10.1.2.3" });
    resolver.lookup = async () => {
      throw new Error("ENOTFOUND");
    };
    expect((await refusal("https://nowhere.example.test/hook")).data).toMatchObject({ reason: "unresolvable" });
  });

  it("checks again at send time: a name that resolves to a refused address then is not connected to", async () => {
    process.env.WEBHOOK_ALLOW_LOOPBACK = "true";
    const m = await createTestMerchant();
    // Saved while the name pointed at an allowed address (the loopback receiver) …
    resolver.lookup = async () => [{ address: "127.0.0.1", family: 4 }];
    const { endpoint } = await createEndpoint(getDb(), m.actor, { url: `http://rebind.example.test:${receiver.port}/hook`, events: ["*"] });
    await sendTestEvent(getDb(), m.merchant.id, endpoint.id);
    await deliverWebhooks(getDb());
    // … it connected to the checked address, with the name as Host.
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].headers.host).toBe(`rebind.example.test:${receiver.port}`);
    // Then the name rebinds to cloud metadata: refused at send time, nothing sent.
    resolver.lookup = async () => [{ address: "169.254.169.254", family: 4 }];
    const second = await sendTestEvent(getDb(), m.merchant.id, endpoint.id);
    await deliverWebhooks(getDb());
    expect(receiver.received).toHaveLength(1);
    const [row] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, second.id));
    expect(row).toMatchObject({ status: "pending", lastStatusCode: null, attempts: 1 });
    expect(row.lastError).toMatch(/link_local.*169\.254\.169\.254/);
  });

  it("checks a literal address at send time too (an endpoint saved before a rule, or changed in the database)", async () => {
    const m = await createTestMerchant();
    const { endpoint } = await createEndpoint(getDb(), m.actor, { url: receiver.url, events: ["*"] });
    process.env.WEBHOOK_ALLOW_LOOPBACK = "false";
    const queued = await sendTestEvent(getDb(), m.merchant.id, endpoint.id);
    const before = receiver.received.length;
    await deliverWebhooks(getDb());
    expect(receiver.received.length).toBe(before);
    const [row] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, queued.id));
    expect(row.lastError).toMatch(/loopback/);
  });
});
