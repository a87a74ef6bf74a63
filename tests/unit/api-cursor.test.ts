import { describe, expect, it } from "vitest";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/api/cursor";

const id = "00000000-0000-4000-8000-000000000000";
const cursorOf = (createdAt: string) => Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");

describe("the API's time cursor", () => {
  it("gives back what it encoded", () => {
    const keyset = { createdAt: "2026-11-30T04:05:06.123456Z", id };
    expect(decodeTimeCursor(encodeTimeCursor(keyset))).toEqual(keyset);
    expect(decodeTimeCursor(cursorOf("2024-02-29T23:59:59.999999Z")).createdAt).toBe("2024-02-29T23:59:59.999999Z");
  });

  it.each([
    "2024-02-30T00:00:00.000000Z",
    "2023-02-29T00:00:00.000000Z",
    "2026-01-01T99:00:00.000000Z",
    "2026-13-01T00:00:00.000000Z",
    "0000-01-01T00:00:00.000000Z",
  ])("refuses %s, a time of the right shape that does not exist, as a bad cursor (422), not a database error", (createdAt) => {
    expect(() => decodeTimeCursor(cursorOf(createdAt))).toThrow(expect.objectContaining({ code: "validation" }));
  });
});
