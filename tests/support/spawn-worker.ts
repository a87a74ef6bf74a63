import { spawn, type ChildProcess } from "node:child_process";

const children: ChildProcess[] = [];

/** A worker for `queues` in a process of its own, against the test database (tests/support/worker-process.ts); resolves once it works. */
export async function startWorkerProcess(queues: string[]): Promise<ChildProcess> {
  // Node itself with tsx's loader (not the tsx wrapper, which would leave its own child running when killed).
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/worker-process.ts", ...queues], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`worker process exited with ${code}`)));
  });
  return child;
}

/** Kills every worker process a test started and left running (an afterEach). */
export function killWorkerProcesses(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
}
