import type { Card } from "@/db/schema";

export type CertificateStatus = "active" | "used" | "expired" | "blocked";

/** How a certificate reads to people: blocked, expired (by status or date), used (nothing left) or active. */
export function certificateStatus(card: Pick<Card, "status" | "blockReason" | "balance" | "expiresAt">, now = new Date()): CertificateStatus {
  if (card.blockReason || card.status === "blocked") return "blocked";
  if (card.status === "expired" || (card.expiresAt && card.expiresAt <= now)) return "expired";
  return card.balance === 0 ? "used" : "active";
}

/** A code as the cabinet's lists show it: its last four characters. */
export const maskCode = (code: string): string => `•••• ${code.slice(-4)}`;

export const STATUS_TONE = { active: "green", used: "gray", expired: "amber", blocked: "red" } as const;
