"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/**
 * Scalar's interactive reference, bundled from node_modules with the page (no CDN: the cabinet may
 * run with no internet, and the page's CSP allows only our own origin). It reads the document from
 * /api/v1/openapi.json (same origin; 230 kB that the page's own payload then does not carry), which
 * already names this installation's base URL; fonts, telemetry and Scalar's cloud links are off.
 */
export function ApiReference({ baseUrl }: { baseUrl: string }) {
  return (
    <div className="carddesk-api-reference overflow-hidden rounded-lg border border-slate-200 bg-white" data-testid="api-reference">
      <ApiReferenceReact
        configuration={{
          url: "/api/v1/openapi.json",
          servers: [{ url: baseUrl }],
          baseServerURL: baseUrl,
          withDefaultFonts: false,
          telemetry: false,
          hideClientButton: false,
          showDeveloperTools: "never",
          hideDarkModeToggle: true,
          forceDarkModeState: "light",
          documentDownloadType: "none",
          mcp: { disabled: true },
          // Scalar's "Ask AI" talks to Scalar's cloud: off, like everything else that would leave our origin.
          agent: { disabled: true },
          layout: "modern",
        }}
      />
    </div>
  );
}
