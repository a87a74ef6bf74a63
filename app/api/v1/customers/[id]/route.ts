// GET /api/v1/customers/{id} — one customer
// PATCH /api/v1/customers/{id} — change a customer's details (their passes follow); `Idempotency-Key` accepted
import { presentCustomer } from "@/lib/api/customers";
import { invalidField } from "@/lib/api/errors";
import { idempotent } from "@/lib/api/idempotency";
import { customerPatchRequestSchema } from "@/lib/api/rest-schemas";
import { readJson, withApiKey } from "@/lib/api/with-api-key";
import { changeCustomer, getCustomerOrThrow, type CustomerPatch } from "@/lib/customers/service";

type Params = { id: string };

export const GET = withApiKey<Params>("customers:read", async ({ db, merchantId }, _request, { id }) =>
  Response.json(presentCustomer(await getCustomerOrThrow(db, merchantId, id))),
);

export const PATCH = withApiKey<Params>("customers:write", async ({ db, merchantId, merchant, actor }, request, { id }) => {
  const body = await readJson(request);
  const parsed = customerPatchRequestSchema(merchant.country).parse(body.value);
  // A field sent as null or "" clears it: parsing reads blanks as "not given", so what was sent decides.
  const sent = body.value && typeof body.value === "object" ? (body.value as Record<string, unknown>) : {};
  const patch: CustomerPatch = {};
  if (parsed.phone !== undefined) patch.phone = parsed.phone;
  for (const field of ["email", "name", "birthday"] as const) if (field in sent) patch[field] = parsed[field] ?? null;
  if (parsed.marketingConsent !== undefined) patch.marketingConsent = parsed.marketingConsent;
  if (!Object.keys(patch).length) throw invalidField("", "api.errors.emptyPatch");
  await getCustomerOrThrow(db, merchantId, id);
  return idempotent(db, merchantId, request, body.text, async (tx) => ({
    status: 200,
    body: presentCustomer(await changeCustomer(tx, { merchantId, actor }, id, patch)),
  }));
});
