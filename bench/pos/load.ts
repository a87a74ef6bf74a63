// The POS load generator, in its own process so its CPU shows apart from the servers': N keep-alive
// connections to 127.0.0.1, each sending its next request as soon as the last answer is read (closed
// loop), connection i presenting till key i (and, with several server instances, going to instance i mod n). Driven over IPC by bench/pos.ts.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { PosTargets } from "./seed";
import { summarizeLatencies } from "../lib/latency";

export type Scenario = "lookup" | "purchase" | "hot";
/** `hot`: every connection redeems `points` on the one hot card `perWorker` times, however long it takes. */
export type Run = {
  ports: number[];
  scenario: Scenario;
  warmup: number;
  seconds: number;
  connections: number;
  prefix: string;
  hot?: { points: number; perWorker: number };
};
export type Result = {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  statuses: Record<string, number>;
  /** Points the hot card's redemptions were granted (201s × points). */
  granted: number;
  loadCpu: number;
  firstError?: string;
};

const targets = JSON.parse(readFileSync(process.argv[2], "utf8")) as PosTargets;
const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)];

type Req = { method: string; path: string; headers: Record<string, string>; body?: string };

function nextRequest(job: Run, worker: number, n: number): Req {
  const headers: Record<string, string> = { authorization: `Bearer ${targets.keys[worker % targets.keys.length]}` };
  if (job.scenario === "lookup") {
    const card = pick(targets.cards);
    return { method: "GET", path: `/api/v1/pos/lookup?code=${encodeURIComponent(card.number)}&amount=150000`, headers };
  }
  const cardId = job.scenario === "hot" ? targets.hotCardId : pick(targets.cards).id;
  const body =
    job.scenario === "hot"
      ? JSON.stringify({ type: "redeem", points: job.hot!.points })
      : JSON.stringify({
          type: "purchase",
          amount: 150_000 + Math.floor(Math.random() * 1000) * 100,
          redeemPoints: 10 + (n % 50),
          receipt: `R-${worker}-${n}`,
        });
  return {
    method: "POST",
    path: `/api/v1/cards/${cardId}/transactions`,
    headers: { ...headers, "content-type": "application/json", "idempotency-key": `${job.prefix}-${worker}-${n}` },
    body,
  };
}

function send(agent: http.Agent, port: number, req: Req): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = req.body ? { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) } : req.headers;
    const r = http.request({ host: "127.0.0.1", port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    r.on("error", reject);
    r.end(req.body);
  });
}

async function run(job: Run): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections, maxFreeSockets: job.connections });
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let granted = 0;
  let firstError: string | undefined;
  const hot = job.scenario === "hot";
  const start = performance.now();
  const measureFrom = hot ? start : start + job.warmup * 1000;
  const stopAt = hot ? Infinity : measureFrom + job.seconds * 1000;
  let cpuFrom = process.cpuUsage();
  let measuring = false;
  const worker = async (w: number) => {
    for (let n = 0; ; n++) {
      const now = performance.now();
      if (hot ? n >= job.hot!.perWorker : now >= stopAt) return;
      if (!measuring && now >= measureFrom) {
        measuring = true;
        cpuFrom = process.cpuUsage();
        process.send!({ type: "measuring" });
      }
      const t0 = performance.now();
      let res: { status: number; body: string };
      try {
        res = await send(agent, job.ports[w % job.ports.length], nextRequest(job, w, n));
      } catch (err) {
        res = { status: 0, body: "" };
        firstError ??= String(err);
      }
      const t1 = performance.now();
      if (t0 >= measureFrom && t1 <= stopAt) {
        latencies.push(t1 - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        // On the hot card, running out of points (409 insufficient_balance) is the expected answer.
        const expected = res.status === 200 || res.status === 201 || (hot && res.status === 409 && res.body.includes("insufficient_balance"));
        if (!expected) {
          errors++;
          firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
        }
        if (hot && res.status === 201) granted += job.hot!.points;
      }
    }
  };
  await Promise.all(Array.from({ length: job.connections }, (_, w) => worker(w)));
  const cpu = process.cpuUsage(cpuFrom);
  agent.destroy();
  const seconds = hot ? (performance.now() - start) / 1000 : job.seconds;
  return { ...summarizeLatencies(latencies, seconds, cpu), errors, statuses, granted, firstError };
}

process.on("message", (job: Run) => {
  void run(job).then((result) => process.send!({ type: "result", result }));
});
process.send!({ type: "ready" });
