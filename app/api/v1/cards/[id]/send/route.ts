// POST /api/v1/cards/{id}/send — send the card to its holder by SMS (its link) or e-mail; `Idempotency-Key` accepted
import { cardAction } from "@/lib/api/card-actions";

export const POST = cardAction("send");
