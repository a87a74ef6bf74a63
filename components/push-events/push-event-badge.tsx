import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/card";
import type { PushEventState } from "@/db/schema";

const TONE = { scheduled: "blue", running: "amber", finished: "green" } as const;

export function PushEventStateBadge({ state }: { state: PushEventState }) {
  const t = useTranslations("pushEvents.states");
  return (
    <span data-testid="push-event-state">
      <Badge tone={TONE[state]}>{t(state)}</Badge>
    </span>
  );
}
