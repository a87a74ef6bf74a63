import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import type { Card } from "@/db/schema";

export const STATUS_TONE = { issued: "gray", installed: "green", removed: "amber", blocked: "red", expired: "gray" } as const;

/** A card's status, with why it is blocked (lost or deactivated) where that applies. */
export async function CardStatusBadge({ card }: { card: Pick<Card, "status" | "blockReason"> }) {
  const t = await getTranslations("cards.status");
  const label = card.status === "blocked" && card.blockReason === "deactivated" ? t("deactivated") : t(card.status);
  return (
    <span data-testid="card-status" data-status={card.status}>
      <Badge tone={STATUS_TONE[card.status]}>{label}</Badge>
    </span>
  );
}
