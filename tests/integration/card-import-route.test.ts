import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { cardImports } from "@/db/schema";
import type { StaffContext } from "@/lib/auth/session";
import { getCardImportOrThrow } from "@/lib/cards/import";
import { CSV_IMPORT_MAX_BYTES } from "@/lib/files/limits";
import { createTemplate } from "@/lib/templates";
import { createTestMerchant, uniquePhone } from "../factories";

let signedIn: StaffContext | null = null;
vi.mock("@/lib/auth/session", () => ({ getStaffContext: async () => signedIn }));
const { POST } = await import("@/app/api/cards/imports/route");

type Merchant = Awaited<ReturnType<typeof createTestMerchant>>;
const ctxOf = (m: Merchant): StaffContext => ({ userId: m.owner.id, merchantId: m.merchant.id, role: "owner", merchant: m.merchant, user: m.owner });

function upload(query: Record<string, string>, body: BodyInit | null, headers: Record<string, string> = {}) {
  const url = `http://localhost:3000/api/cards/imports?${new URLSearchParams(query)}`;
  const request = new Request(url, {
    method: "POST",
    body,
    headers: { host: "localhost:3000", "content-type": "text/csv", ...headers },
    duplex: "half",
  } as RequestInit);
  return POST(request, { params: Promise.resolve({}) });
}

async function importsOf(merchantId: string) {
  return getDb().select().from(cardImports).where(eq(cardImports.merchantId, merchantId));
}

let m: Merchant;
let templateId: string;
beforeEach(async () => {
  m = await createTestMerchant();
  templateId = (await createTemplate(getDb(), m.actor, { name: "Import", kind: "loyalty" })).id;
  signedIn = ctxOf(m);
});

describe("POST /api/cards/imports", () => {
  it("checks a CSV body and keeps it as an import to confirm, with its rows and per-line errors", async () => {
    const csv = ["phone;name;balance", `${uniquePhone()};Ivan;10`, "12345;Bad;1", `${uniquePhone()};Olga;abc`].join("\r\n");
    const response = await upload({ templateId, skipExisting: "1", name: "customers\u0000.csv" }, csv, { origin: "http://localhost:3000" });
    expect(response.status).toBe(201);
    const { id, url } = await response.json();
    expect(url).toBe(`/cards/import/${id}`);
    const stored = await getCardImportOrThrow(getDb(), m.merchant.id, id);
    expect(stored).toMatchObject({ status: "preview", fileName: "customers.csv", total: 3, valid: 1, errorCount: 2, skipExisting: true });
  });

  it("reads a Windows-1251 file as Russian Excel saves it", async () => {
    const cp1251 = Buffer.from([0xf2, 0xe5, 0xeb, 0xe5, 0xf4, 0xee, 0xed, 0x3b, 0xe8, 0xec, 0xff]); // "телефон;имя"
    const body = Buffer.concat([cp1251, Buffer.from(`\r\n${uniquePhone()};`), Buffer.from([0xc8, 0xe2, 0xe0, 0xed])]); // "Иван"
    const response = await upload({ templateId, name: "win.csv" }, body);
    expect(response.status).toBe(201);
    expect(await getCardImportOrThrow(getDb(), m.merchant.id, (await response.json()).id)).toMatchObject({ valid: 1, skipExisting: false });
  });

  it("refuses a body whose declared length is over the limit with 413 naming the limit, before reading it", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const response = await upload({ templateId, name: "big.csv" }, body, { "content-length": String(CSV_IMPORT_MAX_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: "too_large", message: "validation.fileTooLargeMb", data: { field: "file", params: { max: 20 } } } });
    expect(pulled).toBeLessThanOrEqual(1);
    expect(await importsOf(m.merchant.id)).toEqual([]);
  });

  it("stops reading a body without a length as soon as it passes the limit", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > CSV_IMPORT_MAX_BYTES * 3) return controller.close();
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024).fill(0x41));
      },
    });
    const response = await upload({ templateId, name: "endless.csv" }, body);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThanOrEqual(CSV_IMPORT_MAX_BYTES + 3 * 1024 * 1024);
    expect(await importsOf(m.merchant.id)).toEqual([]);
  });

  it("answers 401 to a visitor without a staff session, and reads nothing", async () => {
    signedIn = null;
    const response = await upload({ templateId, name: "a.csv" }, `phone\n${uniquePhone()}`);
    expect(response.status).toBe(401);
    expect(await importsOf(m.merchant.id)).toEqual([]);
  });

  it("refuses a file posted from another site's page with 403", async () => {
    const response = await upload({ templateId, name: "a.csv" }, `phone\n${uniquePhone()}`, { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(await importsOf(m.merchant.id)).toEqual([]);
  });

  it("refuses an empty file, a missing template and another merchant's template next to their fields", async () => {
    const empty = await upload({ templateId, name: "a.csv" }, "");
    expect(empty.status).toBe(422);
    expect((await empty.json()).error).toMatchObject({ message: "validation.fileRequired", data: { field: "file" } });
    const noTemplate = await upload({ templateId: "nope", name: "a.csv" }, `phone\n${uniquePhone()}`);
    expect(noTemplate.status).toBe(422);
    expect((await noTemplate.json()).error).toMatchObject({ message: "cards.errors.template", data: { field: "templateId" } });
    const other = await createTestMerchant();
    const theirs = await createTemplate(getDb(), other.actor, { name: "Theirs", kind: "loyalty" });
    expect((await upload({ templateId: theirs.id, name: "a.csv" }, `phone\n${uniquePhone()}`)).status).toBe(404);
    expect(await importsOf(m.merchant.id)).toEqual([]);
  });
});
