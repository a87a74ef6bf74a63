"use client";

import { ErrorScreen } from "@/components/errors/error-screen";

/** A customer page that fails to render: the way on is the customer's cards, not the staff dashboard. */
export default function PublicError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorScreen error={error} reset={reset} customer />;
}
