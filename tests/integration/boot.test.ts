import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { backoffMs, describeBootError, retryUntilDone, type BootState } from "@/lib/boot";

describe("start-up retries", () => {
  it("keeps trying with a growing back-off, reporting why, until the database is there", async () => {
    const states: BootState[] = [];
    const waits: number[] = [];
    const refused = Object.assign(new AggregateError([Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })], ""), {
      code: "ECONNREFUSED",
    });
    const failures: unknown[] = [refused, new Error("password authentication failed for postgres://app:hunter2@db/x"), new Error("still starting")];
    let calls = 0;
    await retryUntilDone(
      async () => {
        const failure = failures[calls++];
        if (failure) throw failure;
      },
      { onState: (s) => states.push(s), wait: async (ms) => void waits.push(ms) },
    );
    expect(calls).toBe(4);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(states.map((s) => s.phase)).toEqual(["starting", "retrying", "retrying", "retrying", "retrying", "retrying", "retrying", "ready"]);
    expect(states[1]).toEqual({ phase: "retrying", attempts: 1, reason: "connect ECONNREFUSED 127.0.0.1:1" });
    // The password in a connection string never reaches the logs or /api/health.
    expect(states[3].reason).toBe("password authentication failed for postgres://***@db/x");
    expect(states.at(-1)).toEqual({ phase: "ready", attempts: 4, reason: null });
  });

  it("caps the back-off at 30 seconds", () => {
    expect([1, 2, 3, 5, 6, 20].map((n) => backoffMs(n))).toEqual([1000, 2000, 4000, 16_000, 30_000, 30_000]);
  });

  it("describes errors without a message by their code", () => {
    expect(describeBootError(Object.assign(new Error(""), { code: "ENOTFOUND" }))).toBe("ENOTFOUND");
    expect(describeBootError("plain")).toBe("plain");
  });
});

describe("/api/health while booting", () => {
  it("answers 503 with the reason until start-up has worked", async () => {
    const holder = globalThis as unknown as { __carddeskBootState?: BootState };
    const { GET } = await import("@/app/api/health/route");
    holder.__carddeskBootState = { phase: "retrying", attempts: 3, reason: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1" };
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        db: "error",
        queue: "error",
        reason: "not ready after 3 attempt(s): ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1",
      });
      holder.__carddeskBootState = { phase: "starting", attempts: 0, reason: null };
      expect(await (await GET()).json()).toMatchObject({ reason: "starting" });
      holder.__carddeskBootState = { phase: "ready", attempts: 1, reason: null };
      expect((await GET()).status).toBe(200);
    } finally {
      delete holder.__carddeskBootState;
    }
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe("npm start with a database it cannot reach", () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    // tsx passes SIGTERM on to the server it runs; the server's own handler then exits.
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  // Needs no build: the server listens and retries the database before it loads Next at all.
  it("listens anyway and answers 503 with the reason, on /api/health and the wallet fast path", async () => {
    const port = await freePort();
    child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/server.ts"], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        PORT: String(port),
        HOSTNAME: "127.0.0.1",
        DATABASE_URL: "postgres://carddesk:not-shown@127.0.0.1:1/nowhere",
        AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
        LOG_LEVEL: "error",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += String(d)));
    let health: Response | undefined;
    let body: { reason?: string } = {};
    for (let i = 0; i < 120 && child.exitCode === null; i++) {
      health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
      if (health) {
        body = await health.json();
        if (body.reason?.includes("ECONNREFUSED")) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(child.exitCode, stderr).toBeNull();
    expect(health?.status).toBe(503);
    expect(body.reason).toMatch(/^not ready after \d+ attempt\(s\): .*ECONNREFUSED/);
    expect(body.reason).not.toContain("not-shown");
    const wallet = await fetch(`http://127.0.0.1:${port}/api/wallet/v1/devices/d/registrations/pass.x`);
    expect(wallet.status).toBe(503);
    expect(wallet.headers.get("retry-after")).toBe("5");
    expect(stderr).toContain("start-up failed; retrying");
  }, 60_000);
});
