// Child processes of the benchmark (the app, the bare handler, the load generator) and the CPU each
// of them, PostgreSQL and the whole machine spend, read from /proc.
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";

const started: ChildProcess[] = [];

/** Each child leads its own process group, so `next start`'s own children go with it. */
export function startServer(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; label: string }): ChildProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const echo = (chunk: Buffer) => process.stderr.write(chunk.toString().replace(/^(?=.)/gm, `[${options.label}] `));
  child.stdout!.on("data", echo);
  child.stderr!.on("data", echo);
  started.push(child);
  return child;
}

export function startLoadGenerator(script: string, targetsFile: string): ChildProcess {
  const child = fork(script, [targetsFile], { execArgv: ["--import", "tsx"], detached: true });
  started.push(child);
  return child;
}

export function stopAll(): void {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function waitForHealth(port: number, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server on port ${port} exited with code ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server on port ${port} did not answer /api/health in ${timeoutMs / 1000} s`);
}

const TICK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** A process and its descendants (next start forks its server). */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** CPU seconds (user + system) spent so far by these processes. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks / TICK;
}

/** Busy and total CPU seconds of the whole machine, all cores. */
export function machineSeconds(): { busy: number; total: number } {
  const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = n[3] + n[4];
  return { busy: (total - idle) / TICK, total: total / TICK };
}

/**
 * The machine is shared: waits (up to `maxSeconds`) until other processes leave at least one core
 * idle, so a run does not measure someone else's build. Returns the busy share of the last second.
 */
export async function waitForQuiet(maxSeconds: number, threshold = 0.15): Promise<number> {
  const until = Date.now() + maxSeconds * 1000;
  for (;;) {
    const a = machineSeconds();
    await new Promise((r) => setTimeout(r, 1000));
    const b = machineSeconds();
    const busy = (b.busy - a.busy) / (b.total - a.total);
    if (busy <= threshold || Date.now() >= until) return busy;
  }
}
