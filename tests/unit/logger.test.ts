import { describe, expect, it } from "vitest";
import { errorFields } from "@/lib/logger";

describe("errorFields", () => {
  it("reads pg-boss's plain-object errors instead of printing [object Object]", () => {
    const emitted = { ...Object.assign(new Error("x"), { code: "3D000" }), message: 'database "d" does not exist', queue: "wallet-drain", worker: "w1" };
    expect(errorFields(emitted)).toEqual({ error: 'database "d" does not exist', code: "3D000", queue: "wallet-drain", worker: "w1" });
  });

  it("keeps an Error's message and a thrown string as they are", () => {
    expect(errorFields(new Error("boom"))).toEqual({ error: "boom" });
    expect(errorFields("plain")).toEqual({ error: "plain" });
    expect(errorFields(undefined)).toEqual({ error: "undefined" });
  });
});
