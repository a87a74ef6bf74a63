// GET /api/v1/forms — the merchant's registration forms, newest first, with their links and sign-up counts
import { presentForm } from "@/lib/api/forms";
import { withApiKey } from "@/lib/api/with-api-key";
import { getEnv } from "@/lib/env";
import { listForms } from "@/lib/forms/service";

export const GET = withApiKey("forms:read", async ({ db, merchantId }) => {
  const rows = await listForms(db, merchantId);
  return Response.json({ data: rows.map((r) => presentForm(getEnv().APP_URL, r.form, r.submissions)) });
});
