"use client";

import { ErrorScreen } from "@/components/errors/error-screen";

/** A cabinet page that fails to render: the sidebar and top bar stay, so the way on is still there. */
export default function CabinetError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorScreen error={error} reset={reset} />;
}
