import { describe, expect, it } from "vitest";
import { normalizePhone } from "@/lib/customers/phone";
import { uniquePhone } from "../factories";

describe("test factories", () => {
  it("uniquePhone gives valid Russian mobile numbers, each once, marked with the worker", () => {
    const phones = Array.from({ length: 2000 }, () => uniquePhone());
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones.slice(0, 50)) expect(normalizePhone(phone, "RU")).toBe(phone);
    const worker = String(Number(process.env.VITEST_POOL_ID ?? 0) % 100).padStart(2, "0");
    expect(phones.every((p) => p.startsWith(`+7916${worker}`))).toBe(true);
  });
});
