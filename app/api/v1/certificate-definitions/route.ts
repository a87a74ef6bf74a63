// GET /api/v1/certificate-definitions — the merchant's gift-certificate definitions with their pools (read-only for now)
import { loadApiDefinitions } from "@/lib/api/certificates";
import { withApiKey } from "@/lib/api/with-api-key";

export const GET = withApiKey("certificates:read", async ({ db, merchantId }) => Response.json({ data: await loadApiDefinitions(db, merchantId) }));
