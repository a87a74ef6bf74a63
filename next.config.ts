import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/files/limits";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  // Native and WASM packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss", "@node-rs/argon2", "postgres", "sharp"],
  poweredByHeader: false,
  // Pages get theirs (with a per-request nonce) from proxy.ts; API answers and static files, which the
  // proxy skips, get these. An API answer is never a page, so its policy allows nothing at all.
  async headers() {
    const common = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    ];
    return [
      {
        source: "/api/:path*",
        headers: [
          ...common,
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      { source: "/_next/static/:path*", headers: common },
    ];
  },
  experimental: {
    // The largest image or certificate upload and its form; CSV imports stream to their own route.
    serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT_BYTES },
  },
};

export default withNextIntl(nextConfig);
