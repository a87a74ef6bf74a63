import { afterEach, describe, expect, it, vi } from "vitest";

const sendThrottled = vi.fn(async () => "job");
vi.mock("@/lib/jobs/boss", () => ({ getBoss: async () => ({ sendThrottled }), stopBoss: async () => {} }));

const { scheduleWalletDrain } = await import("@/lib/wallet/queue");

describe("waking the wallet drain", () => {
  afterEach(() => vi.useRealTimers());

  it("asks pg-boss at most once per one-second slot, as pg-boss would keep only one job of it anyway", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-29T10:00:00.100Z"));
    for (let i = 0; i < 50; i++) await scheduleWalletDrain();
    expect(sendThrottled).toHaveBeenCalledTimes(1);
    expect(sendThrottled).toHaveBeenLastCalledWith("wallet-drain", {}, { startAfter: 3 }, 1, "drain");
    vi.setSystemTime(new Date("2026-11-29T10:00:01.000Z"));
    await scheduleWalletDrain();
    await scheduleWalletDrain();
    expect(sendThrottled).toHaveBeenCalledTimes(2);
  });

  it("purchases in flight when a slot begins send one job between them, not one each", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-29T10:30:00.000Z"));
    sendThrottled.mockClear();
    await Promise.all(Array.from({ length: 50 }, () => scheduleWalletDrain()));
    expect(sendThrottled).toHaveBeenCalledTimes(1);
  });

  it("a failed send is not remembered: the next change asks again", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-29T11:00:00.000Z"));
    sendThrottled.mockClear();
    sendThrottled.mockRejectedValueOnce(new Error("database away"));
    await scheduleWalletDrain();
    await scheduleWalletDrain();
    expect(sendThrottled).toHaveBeenCalledTimes(2);
  });
});
