import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";

const run = promisify(execFile);

/** Redocly's recommended rules over the document as /api/v1/openapi.json serves it: no errors, no warnings. */
describe("OpenAPI document", () => {
  it("passes `redocly lint` with the recommended rules, with no warnings", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-"));
    const file = join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(buildOpenApiDocument("https://loyalty.coffee-club.ru")));
    try {
      const { stdout, stderr } = await run("npx", ["redocly", "lint", "--extends=recommended", "--format=json", file], {
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        maxBuffer: 32 * 1024 * 1024,
      }).catch((err: { stdout: string; stderr: string }) => err);
      const report = JSON.parse(stdout) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
      };
      const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(", ")}`);
      expect(problems, stderr).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
