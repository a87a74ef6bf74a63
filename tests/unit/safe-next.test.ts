import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/auth/redirect";

/** Where a browser on our origin goes when it is sent `Location: <value>`. */
function landsOn(value: string): string {
  return new URL(value, "http://127.0.0.1:3000/sign-in").origin;
}

describe("safeNext", () => {
  it.each([
    ["/locations?q=1", "/locations?q=1"],
    ["/locations/abc#top", "/locations/abc#top"],
    ["/a/../b", "/b"],
    ["/%2F%2Fevil.com", "/%2F%2Fevil.com"],
    ["/dashboard", "/dashboard"],
    // A space is just part of a path here (encoded), not a way off the site.
    ["/ /evil.com", "/%20/evil.com"],
  ])("keeps a same-site path: %j → %j", (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });

  it.each([
    // The reported one: dot segments collapse to a protocol-relative `//host`.
    "/..//127.0.0.1:3301/phish",
    "/../..//evil.com",
    "/.//evil.com",
    "/./\\evil.com",
    "/%2e%2e//evil.com",
    "/%2E%2E//evil.com/x",
    "/..\\/evil.com",
    "/..\\\\evil.com",
    "//evil.com",
    "///evil.com",
    "////evil.com/path",
    "/\\evil.com",
    "/\\/evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    "https://evil.com",
    "http:evil.com",
    "javascript:alert(1)",
    "data:text/html,hi",
    " /dashboard",
    "evil.com",
    "",
    null,
    undefined,
    42,
    ["/dashboard"],
  ])("refuses %j", (input) => {
    const out = safeNext(input);
    expect(out).toBe("/dashboard");
  });

  it.each(["/..//127.0.0.1:3301/phish", "/locations?q=1", "/%2e%2e//evil.com", "/./\\evil.com", "/a/..//b"])(
    "whatever it returns, a browser stays on our origin: %j",
    (input) => {
      expect(landsOn(safeNext(input))).toBe("http://127.0.0.1:3000");
    },
  );
});
