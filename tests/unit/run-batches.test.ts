import { describe, expect, it, vi } from "vitest";
import { runBatches } from "@/lib/jobs/batch";

describe("one job's share of long work", () => {
  it("runs batches until none is left, without queueing another job", async () => {
    let left = 3;
    const queueNext = vi.fn(async () => {});
    expect(await runBatches(async () => ({ more: --left > 0 }), queueNext)).toBe(3);
    expect(queueNext).not.toHaveBeenCalled();
  });

  it("stops when its time is spent and hands the rest to the next job", async () => {
    const batch = vi.fn(async () => ({ more: true }));
    const queueNext = vi.fn(async () => {});
    expect(await runBatches(batch, queueNext, 0)).toBe(1);
    expect(batch).toHaveBeenCalledTimes(1);
    expect(queueNext).toHaveBeenCalledTimes(1);
  });

  it("a batch that throws queues nothing: the job's retry resumes from the last commit", async () => {
    const queueNext = vi.fn(async () => {});
    await expect(runBatches(async () => Promise.reject(new Error("connection lost")), queueNext, 0)).rejects.toThrow("connection lost");
    expect(queueNext).not.toHaveBeenCalled();
  });
});
