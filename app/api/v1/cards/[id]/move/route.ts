// POST /api/v1/cards/{id}/move — move a card to another template; number, values and history stay; `Idempotency-Key` accepted
import { cardAction } from "@/lib/api/card-actions";

export const POST = cardAction("move");
