/** The statuses a card can be in (derived, see db/queries/card-status.ts); shared with forms and filters. */
export const CARD_STATUSES = ["issued", "installed", "removed", "blocked", "expired"] as const;
