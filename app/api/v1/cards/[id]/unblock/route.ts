// POST /api/v1/cards/{id}/unblock — unblock a card blocked as lost; `Idempotency-Key` accepted
import { cardAction } from "@/lib/api/card-actions";

export const POST = cardAction("unblock");
