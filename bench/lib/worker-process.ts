import { spawn, type ChildProcess } from "node:child_process";

/**
 * The production worker for `queues` in a process of its own (tests/support/worker-process.ts: pg-boss,
 * as in production), with this process's environment plus `env`; resolves once it works.
 */
export async function startWorkerProcess(queues: string[], env: Record<string, string> = {}): Promise<ChildProcess> {
  // Node itself with tsx's loader (not the tsx wrapper, which would leave its own child running when killed).
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/worker-process.ts", ...queues], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`worker process exited with ${code}`)));
  });
  return child;
}
