import { describe, expect, it } from "vitest";
import { z } from "zod";
import { uuidV7 } from "@/lib/crypto/uuid7";

describe("uuidV7", () => {
  it("is a version 7 uuid with the RFC's variant, and the millisecond it was made in its first 48 bits", () => {
    const at = Date.UTC(2026, 11, 1, 10, 30, 0, 123);
    const id = uuidV7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it("sorts by time across milliseconds, and is unique within one", () => {
    const base = Date.now();
    const later = [uuidV7(base), uuidV7(base + 1), uuidV7(base + 1000), uuidV7(base + 86_400_000)];
    expect([...later].sort()).toEqual(later);
    const same = new Set(Array.from({ length: 10_000 }, () => uuidV7(base)));
    expect(same.size).toBe(10_000);
  });
});
