import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { certificateCodes } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { parseCodeCsv } from "@/lib/gift-certificates/codes";
import { createDefinition } from "@/lib/gift-certificates/definitions";
import { CODE_FILE_MAX_BYTES, CODE_FILE_MAX_LINES } from "@/lib/gift-certificates/pool";
import { createTestMerchant, type TestMerchant } from "../factories";

/** The promo-code CSV is read as it streams, a slice at a time, bounded; never a 500 (issue 13, item 3). */

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn }));
const { POST } = await import("@/app/api/gift-certificates/[id]/codes/route");

function upload(definitionId: string, body: BodyInit, { importGood = false, headers = {} as Record<string, string> } = {}) {
  const request = new Request(`http://localhost:3000/api/gift-certificates/${definitionId}/codes${importGood ? "?importGood=1" : ""}`, {
    method: "POST",
    body,
    headers: { host: "localhost:3000", "content-type": "text/csv", ...headers },
    duplex: "half",
  } as RequestInit);
  return POST(request, { params: Promise.resolve({ id: definitionId }) });
}

const text = (en: string) => ({ en, ru: en });
let m: TestMerchant;
const poolOf = async (definitionId: string) => getDb().select().from(certificateCodes).where(eq(certificateCodes.definitionId, definitionId));
const newDefinition = async () =>
  (
    await createDefinition(getDb(), m.actor, {
      name: "Pool",
      valueKind: "money",
      nominal: 1000,
      presentation: text("Show it"),
      terms: text("Terms"),
      validity: { mode: "days", days: 30 },
    })
  ).id;
/** `n` distinct codes of 10 characters, one a line. */
const codesFile = (n: number, prefix = "C") => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(9, "0")}`).join("\n");

beforeAll(async () => {
  m = await createTestMerchant();
  signedIn = { userId: m.owner.id, merchantId: m.merchant.id, role: "owner", merchant: m.merchant, user: m.owner };
});

describe("POST /api/gift-certificates/{id}/codes", () => {
  it("imports a file, reporting lines and problems", async () => {
    const id = await newDefinition();
    const response = await upload(id, "code\nAAA111\nBBB222\n");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ imported: 2, lines: 2, problems: [], problemCount: 0, written: true });
  });

  it("refuses a body over 8 MB with 413 naming the limit, and writes nothing", async () => {
    const id = await newDefinition();
    const body = new Uint8Array(CODE_FILE_MAX_BYTES + 1).fill(0x41);
    const response = await upload(id, body);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: "too_large", message: "validation.fileTooLargeMb", data: { params: { max: 8 } } } });
    expect(await poolOf(id)).toHaveLength(0);
  });

  it("refuses a file of more than 500,000 lines as a whole (422), within the size limit, and writes nothing", async () => {
    const id = await newDefinition();
    const body = codesFile(CODE_FILE_MAX_LINES + 1, "L");
    expect(body.length).toBeLessThan(CODE_FILE_MAX_BYTES);
    const response = await upload(id, body);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: { code: "validation", message: "giftCertificates.errors.tooManyLines", data: { params: { max: CODE_FILE_MAX_LINES } } },
    });
    expect(await poolOf(id)).toHaveLength(0);
  }, 60_000);

  it.each([
    ["an unclosed quote", 'code\n"AAA111\nBBB222\n', "giftCertificates.errors.csv"],
    ["an empty file", "\n\n", "giftCertificates.errors.fileEmpty"],
  ])("refuses %s with 422, never a 500", async (_name, body, message) => {
    const id = await newDefinition();
    const response = await upload(id, body);
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatchObject({ code: "validation", message });
  });

  it("counts every problem but answers the first 200, in line order", async () => {
    const id = await newDefinition();
    const body = ["code", ...Array.from({ length: 300 }, () => "!bad"), "GOOD01"].join("\n");
    const answer = await (await upload(id, body)).json();
    expect(answer).toMatchObject({ imported: 0, lines: 301, problemCount: 300, written: false });
    expect(answer.problems).toHaveLength(200);
    expect(answer.problems[0]).toEqual({ line: 2, code: "!BAD", problem: "giftCertificates.errors.codeFormat" });
  });

  it("reads a large file in slices: the event loop is never held for long", async () => {
    const id = await newDefinition();
    // A duplicate at the end: the whole file is read and checked against the pool, then refused, nothing written.
    const body = `${codesFile(200_000, "E")}\nE000000001\n`;
    const started = performance.now();
    parseCodeCsv(body);
    const wholeFileMs = performance.now() - started;

    let longest = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    let answer: { lines: number; problemCount: number; written: boolean };
    try {
      answer = await (await upload(id, body)).json();
    } finally {
      clearInterval(ticker);
    }
    expect(answer).toMatchObject({ lines: 200_001, problemCount: 1, written: false });
    // Read in one go, the file held the loop for about wholeFileMs; in slices, each pause is a fraction of it.
    expect(longest).toBeLessThan(wholeFileMs / 2);
  }, 60_000);

  it("another merchant's definition is not found", async () => {
    const other = await createTestMerchant();
    const theirs = await createDefinition(getDb(), other.actor, {
      name: "Theirs",
      valueKind: "money",
      nominal: 1000,
      presentation: text("x"),
      terms: text("x"),
      validity: { mode: "days", days: 30 },
    });
    const response = await upload(theirs.id, "ZZZ111\n");
    expect(response.status).toBe(404);
    expect(await poolOf(theirs.id)).toHaveLength(0);
  });
});
