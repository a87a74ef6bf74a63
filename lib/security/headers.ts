// Pure (no server-only): proxy.ts builds every page's headers with it, and the tests call it directly.

/**
 * What a page may use beyond the default policy, by path prefix. Everything here is served from our
 * own origin; a new need is one more entry, never a looser policy for every page. A page built from
 * our own bundles (an API reference page, say) needs no entry: its scripts get the nonce like any other.
 */
const ROUTE_ALLOWANCES: { prefix: string; camera?: boolean; wasm?: boolean }[] = [
  // The cashier screen scans barcodes with the device camera, through a WebAssembly decoder.
  { prefix: "/till", camera: true, wasm: true },
];

function allowancesFor(pathname: string) {
  const match = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);
  return ROUTE_ALLOWANCES.filter((r) => match(r.prefix)).reduce((acc, r) => ({ camera: acc.camera || !!r.camera, wasm: acc.wasm || !!r.wasm }), {
    camera: false,
    wasm: false,
  });
}

/** 128 random bits, base64: a fresh one for every page response. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export type PageHeaderOptions = { pathname: string; nonce: string; https: boolean; dev: boolean };

/**
 * The Content-Security-Policy of a page. Scripts run only with this response's nonce ('strict-dynamic'
 * lets Next's own chunks load from those), so an injected <script> or inline handler does not run.
 * - style-src keeps 'unsafe-inline': React renders style attributes (a template's chosen colours, a
 *   progress bar's width), which nonces cannot cover; styles cannot run script.
 * - 'wasm-unsafe-eval' only where a WebAssembly decoder runs; it compiles WebAssembly and does not
 *   allow JavaScript eval.
 * - 'unsafe-eval' only under `next dev`, whose fast refresh evaluates modules.
 */
export function contentSecurityPolicy({ pathname, nonce, https, dev }: PageHeaderOptions): string {
  const { wasm } = allowancesFor(pathname);
  const script = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(wasm ? ["'wasm-unsafe-eval'"] : []), ...(dev ? ["'unsafe-eval'"] : [])];
  const directives = [
    "default-src 'self'",
    `script-src ${script.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Every header a page answers with; Content-Security-Policy carries the nonce. */
export function pageSecurityHeaders(options: PageHeaderOptions): Record<string, string> {
  const { camera } = allowancesFor(options.pathname);
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    // For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": [`camera=${camera ? "(self)" : "()"}`, "microphone=()", "geolocation=()", "payment=()", "usb=()"].join(", "),
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** Headers every response gets, pages and static files included. */
export const COMMON_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/**
 * An API answer's: it is never a page, so its policy allows nothing at all. next.config.ts gives them to
 * every /api answer Next serves; npm start's fast path (scripts/api-fast-path.ts) to the ones it serves.
 */
export const API_SECURITY_HEADERS: Record<string, string> = {
  ...COMMON_SECURITY_HEADERS,
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
};
