/**
 * Only same-site paths after sign-in, so a crafted link cannot bounce a fresh session elsewhere.
 * Resolving against a placeholder origin catches what a browser would follow (`//x`, `/\\x`, tabs).
 */
export function safeNext(value: unknown): string {
  const raw = typeof value === "string" ? value : "";
  if (!raw.startsWith("/")) return "/dashboard";
  const base = "https://carddesk.invalid";
  try {
    const url = new URL(raw, base);
    return url.origin === base ? `${url.pathname}${url.search}` : "/dashboard";
  } catch {
    return "/dashboard";
  }
}
