// GET /api/v1/certificates/{id} — one certificate: the card with its code in full, definition and message
import { loadApiCertificate } from "@/lib/api/certificates";
import { withApiKey } from "@/lib/api/with-api-key";

export const GET = withApiKey<{ id: string }>("certificates:read", async ({ db, merchantId }, _request, { id }) =>
  Response.json(await loadApiCertificate(db, merchantId, id)),
);
