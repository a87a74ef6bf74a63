"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether a media query matches now, following changes. The server (and the first render while
 * hydrating) answers `serverValue`, so what the server drew is kept until the browser says otherwise.
 */
export function useMediaQuery(query: string, serverValue: boolean): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
    () => serverValue,
  );
}
