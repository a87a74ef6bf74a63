import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import type { Card } from "@/db/schema";

export const STATUS_TONE = { issued: "gray", installed: "green", removed: "amber", blocked: "red", expired: "gray" } as const;

/** The translation key (under cards.status) of a card's status: a deactivated card says so rather than "blocked". */
export const statusKey = (card: Pick<Card, "status" | "blockReason">) =>
  card.status === "blocked" && card.blockReason === "deactivated" ? "deactivated" : card.status;

/** A card's status, with why it is blocked (lost or deactivated) where that applies. */
export async function CardStatusBadge({ card }: { card: Pick<Card, "status" | "blockReason"> }) {
  const t = await getTranslations("cards.status");
  const label = t(statusKey(card));
  return (
    <span data-testid="card-status" data-status={card.status}>
      <Badge tone={STATUS_TONE[card.status]}>{label}</Badge>
    </span>
  );
}
