// POST /api/v1/cards/{id}/block — block a card (lost): its pass is voided; `Idempotency-Key` accepted
import { cardAction } from "@/lib/api/card-actions";

export const POST = cardAction("block");
