"use client";

import { useEffect } from "react";

/** Tells the server, once the page is on screen in a browser, that the recipient opened these certificates. */
export function OpenedBeacon({ tokens }: { tokens: string[] }) {
  const key = tokens.join(",");
  useEffect(() => {
    for (const token of key.split(",").filter(Boolean))
      void fetch("/api/certificate-opened", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
        keepalive: true,
      }).catch(() => {});
  }, [key]);
  return null;
}
