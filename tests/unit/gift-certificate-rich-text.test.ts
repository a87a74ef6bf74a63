import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RichText } from "@/components/gift-certificates/rich-text";

describe("certificate terms in simple formatting", () => {
  it("makes paragraphs, bold, lists and http(s) links, and never markup from the text", () => {
    const html = renderToStaticMarkup(
      createElement(RichText, {
        text: "Valid **one year**.\n\n- in parts\n- not for cash\n\nSee [rules](https://example.com/r) <script>alert(1)</script> [x](javascript:alert(1))",
      }),
    );
    expect(html).toContain("<strong>one year</strong>");
    expect(html).toContain("<ul");
    expect(html).toContain("<li>in parts</li>");
    expect(html).toContain('href="https://example.com/r"');
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain('href="javascript');
  });
});
