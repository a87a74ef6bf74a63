"use client";

import { ErrorScreen } from "@/components/errors/error-screen";

/** Any page that fails to render, outside the cabinet (whose own boundary keeps its navigation). */
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorScreen error={error} reset={reset} fullPage />;
}
