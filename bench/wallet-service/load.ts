// The load generator, in its own process so its CPU shows apart from the servers': N keep-alive
// connections, each sending its next request as soon as the last answer is read (closed loop).
// Driven over IPC by bench/wallet-service.ts.
import { readFileSync } from "node:fs";
import http from "node:http";
import { summarizeLatencies } from "../lib/latency";

export type Scenario = "list" | "pass304" | "pass200";
export type Run = { cmd: "run" | "prime"; port: number; scenario: Scenario; warmup: number; seconds: number; connections: number };
export type Result = {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  statuses: Record<string, number>;
  passHeader: Record<string, number>;
  loadCpu: number;
  firstError?: string;
};
type Targets = { devices: string[]; cards: { serial: string; token: string; tag: number }[]; minTag: number; maxTag: number; passTypeId: string; hot: number };

const targets = JSON.parse(readFileSync(process.argv[2], "utf8")) as Targets;
const pick = <T>(a: T[], n = a.length) => a[Math.floor(Math.random() * n)];
const httpDate = (tag: number) => new Date(Math.floor(tag / 1000) * 1000).toUTCString();

function nextRequest(scenario: Scenario, i?: number): { path: string; headers: Record<string, string> } {
  const passType = encodeURIComponent(targets.passTypeId);
  if (scenario === "list") {
    // Half ask for everything (a new device, a restore), half since a tag somewhere in the last 30 days.
    const since = Math.random() < 0.5 ? "" : `?passesUpdatedSince=${targets.minTag + Math.floor(Math.random() * (targets.maxTag - targets.minTag))}`;
    return { path: `/api/wallet/v1/devices/${pick(targets.devices)}/registrations/${passType}${since}`, headers: {} };
  }
  // 304: any card, asked with the Last-Modified it was given. 200: the hot cards, whose passes are built.
  const card = scenario === "pass304" ? pick(targets.cards) : i !== undefined ? targets.cards[i] : pick(targets.cards, targets.hot);
  const headers: Record<string, string> = { authorization: `ApplePass ${card.token}` };
  if (scenario === "pass304") headers["if-modified-since"] = httpDate(card.tag);
  return { path: `/api/wallet/v1/passes/${passType}/${card.serial}`, headers };
}

function send(agent: http.Agent, port: number, req: { path: string; headers: Record<string, string> }): Promise<{ status: number; pass?: string }> {
  return new Promise((resolve, reject) => {
    const r = http.get({ host: "127.0.0.1", port, path: req.path, headers: req.headers, agent }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve({ status: res.statusCode ?? 0, pass: res.headers["x-carddesk-pass"] as string | undefined }));
      res.on("error", reject);
    });
    r.on("error", reject);
  });
}

async function run(job: Run): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections, maxFreeSockets: job.connections });
  const statuses: Record<string, number> = {};
  const passHeader: Record<string, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const measureFrom = start + job.warmup * 1000;
  const stopAt = measureFrom + job.seconds * 1000;
  let cpuFrom = process.cpuUsage();
  let measuring = false;
  let primeNext = 0;
  const worker = async () => {
    for (;;) {
      const now = performance.now();
      if (job.cmd === "prime" ? primeNext >= targets.hot : now >= stopAt) return;
      if (!measuring && now >= measureFrom && job.cmd === "run") {
        measuring = true;
        cpuFrom = process.cpuUsage();
        process.send!({ type: "measuring" });
      }
      const t0 = performance.now();
      let res: { status: number; pass?: string };
      try {
        res = await send(agent, job.port, nextRequest(job.scenario, job.cmd === "prime" ? primeNext++ : undefined));
      } catch (err) {
        res = { status: 0 };
        firstError ??= String(err);
      }
      const t1 = performance.now();
      if (job.cmd === "prime" || (t0 >= measureFrom && t1 <= stopAt)) {
        latencies.push(t1 - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.pass) passHeader[res.pass] = (passHeader[res.pass] ?? 0) + 1;
        if (!(res.status >= 200 && res.status < 300) && res.status !== 304) errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const cpu = process.cpuUsage(cpuFrom);
  agent.destroy();
  const seconds = job.cmd === "prime" ? (performance.now() - start) / 1000 : job.seconds;
  return { ...summarizeLatencies(latencies, seconds, cpu), errors, statuses, passHeader, firstError };
}

process.on("message", (job: Run) => {
  void run(job).then((result) => process.send!({ type: "result", result }));
});
process.send!({ type: "ready" });
