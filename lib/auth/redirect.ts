const FALLBACK = "/dashboard";
const BASE = "https://carddesk.invalid";

/**
 * Only same-site paths after sign-in, so a crafted link cannot bounce a fresh session elsewhere.
 *
 * The value is resolved the way a browser would (dot segments, backslashes, tabs and newlines
 * dropped), and the *result* must be a plain path: `/..//evil.com` resolves to the path
 * `//evil.com`, which is same-origin here but another host once it is sent back as a Location.
 * So the normalised path is checked again, and anything starting with two slashes (in any
 * spelling a browser accepts) is refused rather than repaired.
 */
export function safeNext(value: unknown): string {
  const raw = typeof value === "string" ? value : "";
  // A browser strips these before parsing, so they could hide a `//` from a naive check.
  if (!raw.startsWith("/") || /[\u0000-\u001f\u007f]/.test(raw)) return FALLBACK;
  let out: string;
  try {
    const url = new URL(raw, BASE);
    if (url.origin !== BASE) return FALLBACK;
    out = `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return FALLBACK;
  }
  // A path that starts `//` or `/\` is protocol-relative to a browser: another host.
  if (!out.startsWith("/") || out.startsWith("//") || out.startsWith("/\\")) return FALLBACK;
  // What we send must resolve to itself, or a second normalisation could still change the host.
  try {
    const again = new URL(out, BASE);
    if (again.origin !== BASE || `${again.pathname}${again.search}${again.hash}` !== out) return FALLBACK;
  } catch {
    return FALLBACK;
  }
  return out;
}
