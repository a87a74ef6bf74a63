import { test, expect, type APIResponse, type Page } from "@playwright/test";
import { createTemplateViaUi, issueCardViaUi } from "../cards/helpers";
import { makePng, signUpMerchant } from "../helpers";

/** The directives of a Content-Security-Policy, by name. */
function directives(csp: string | undefined): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

function expectSecurityHeaders(response: APIResponse, path: string): string {
  const headers = response.headers();
  const csp = directives(headers["content-security-policy"]);
  const nonce = csp["script-src"]?.find((v) => v.startsWith("'nonce-"));
  expect(nonce, `${path}: script nonce`).toBeTruthy();
  expect(csp["script-src"], path).toContain("'strict-dynamic'");
  expect(csp["script-src"], path).not.toContain("'unsafe-inline'");
  expect(csp["script-src"], path).not.toContain("'unsafe-eval'");
  expect(csp["object-src"], path).toEqual(["'none'"]);
  expect(csp["frame-ancestors"], path).toEqual(["'none'"]);
  expect(headers["x-frame-options"], path).toBe("DENY");
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], path).toContain("camera=()");
  // The e2e server's APP_URL is http://localhost, so no HSTS (it would pin plain-HTTP localhost to https).
  expect(headers["strict-transport-security"], path).toBeUndefined();
  return nonce!.slice("'nonce-".length, -1);
}

/** Collects every Content-Security-Policy violation the browser reports on the page, across navigations. */
async function watchPolicyViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction("__reportCspViolation", (what: string) => seen.push(what));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __reportCspViolation: (w: string) => void }).__reportCspViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  return seen;
}

test("pages answer with the security headers, their scripts carry the nonce, and nothing is blocked", async ({ page }) => {
  const violations = await watchPolicyViolations(page);
  await signUpMerchant(page);
  await createTemplateViaUi(page);
  const { id } = await issueCardViaUi(page);
  await page.goto(`/cards/${id}`);
  const cardPath = new URL(await page.getByTestId("card-link").inputValue()).pathname;
  expect(cardPath).toMatch(/^\/c\/[^/]+$/);
  await page.goto(cardPath);

  for (const path of ["/", "/sign-in", "/dashboard", cardPath, "/my"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(500);
    const nonce = expectSecurityHeaders(response, path);
    if (response.status() === 200) {
      // Every script the server rendered carries this response's nonce, so Next's own code runs.
      const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      expect(
        scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`)),
        path,
      ).toEqual([]);
    }
    expect(expectSecurityHeaders(await page.request.get(path, { maxRedirects: 0 }), path), `${path}: a new nonce each time`).not.toBe(nonce);
  }
  expect(violations).toEqual([]);
});

test("an oversized logo is refused in the page, before upload, with the limit named", async ({ page }) => {
  const violations = await watchPolicyViolations(page);
  await signUpMerchant(page);
  await page.goto("/settings/organisation");
  const uploads: string[] = [];
  page.on("request", (r) => r.method() === "POST" && (r.postDataBuffer()?.length ?? 0) > 1024 * 1024 && uploads.push(r.url()));

  await page
    .getByLabel("Image file")
    .setInputFiles({ name: "big-logo.png", mimeType: "image/png", buffer: makePng(256, 256, [1, 2, 3], Math.round(4.9 * 1024 * 1024)) });
  await expect(page.getByTestId("logo-error")).toHaveText("The file is larger than 1 MB: choose a smaller one.");
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByRole("heading", { name: "Organisation", level: 1 })).toBeVisible();
  await expect(page.getByTestId("logo-error")).toHaveText("The file is larger than 1 MB: choose a smaller one.");
  expect(uploads).toEqual([]);

  // A file within the limit still goes up.
  await page.getByLabel("Image file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: makePng(128, 128) });
  await expect(page.getByTestId("logo-error")).toHaveCount(0);
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByTestId("logo-preview")).toBeVisible();
  expect(violations).toEqual([]);
});

test("a CSV import streams to its own route: over the limit it is refused in the page, within it the check opens", async ({ page }) => {
  const violations = await watchPolicyViolations(page);
  await signUpMerchant(page);
  await createTemplateViaUi(page, "Import card");
  await page.goto("/cards/import");
  await page.getByLabel("CSV file").setInputFiles({ name: "huge.csv", mimeType: "text/csv", buffer: Buffer.alloc(21 * 1024 * 1024, 0x41) });
  await expect(page.getByText("The file is larger than 20 MB: choose a smaller one.")).toBeVisible();

  await page.getByLabel("CSV file").setInputFiles({
    name: "customers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`phone;name\n+7916${String(Date.now() % 10_000_000).padStart(7, "0")};Anna\n`),
  });
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page).toHaveURL(/\/cards\/import\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("import-valid")).toHaveText("1");
  expect(violations).toEqual([]);
});
