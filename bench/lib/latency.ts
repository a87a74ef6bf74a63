/** What a load run measured: requests, p50/p99/max latency (ms) and the load generator's own CPU share. */
export type LatencySummary = { requests: number; seconds: number; p50: number; p99: number; max: number; loadCpu: number };

/** Summarises one run's latencies (sorted in place) over `seconds`, with the CPU the load generator used. */
export function summarizeLatencies(latencies: number[], seconds: number, cpu: NodeJS.CpuUsage): LatencySummary {
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { requests: latencies.length, seconds, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? NaN, loadCpu: (cpu.user + cpu.system) / 1e6 / seconds };
}
