import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/files/limits";
import { API_SECURITY_HEADERS, COMMON_SECURITY_HEADERS } from "./lib/security/headers";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  // Native and WASM packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss", "@node-rs/argon2", "postgres", "sharp"],
  poweredByHeader: false,
  // Pages get theirs (with a per-request nonce) from proxy.ts; API answers and static files, which the
  // proxy skips, get these. An API answer is never a page, so its policy allows nothing at all.
  async headers() {
    const list = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));
    return [
      { source: "/api/:path*", headers: list(API_SECURITY_HEADERS) },
      { source: "/_next/static/:path*", headers: list(COMMON_SECURITY_HEADERS) },
    ];
  },
  experimental: {
    // The largest image or certificate upload and its form; CSV imports stream to their own route.
    serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT_BYTES },
  },
};

export default withNextIntl(nextConfig);
