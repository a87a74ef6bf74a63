// GET /api/v1/forms/{id} — one form: its fields, consent boxes and referral terms, and its groups and companies
import { presentForm, presentFormSource } from "@/lib/api/forms";
import { pathId } from "@/lib/api/webhooks";
import { withApiKey } from "@/lib/api/with-api-key";
import { getEnv } from "@/lib/env";
import { getFormOrThrow, submissionCount } from "@/lib/forms/service";
import { listSources } from "@/lib/forms/sources";

export const GET = withApiKey<{ id: string }>("forms:read", async ({ db, merchantId }, _request, { id }) => {
  const form = await getFormOrThrow(db, merchantId, pathId(id));
  const [submissions, sources] = await Promise.all([submissionCount(db, merchantId, form.id), listSources(db, merchantId, { formId: form.id })]);
  const appUrl = getEnv().APP_URL;
  return Response.json({
    ...presentForm(appUrl, form, submissions),
    definition: form.definition,
    sources: sources.map((s) => presentFormSource(appUrl, s.source, s.registrations)),
  });
});
