// GET /api/v1/certificates — find certificates by definition, phone or status, a page at a time
// POST /api/v1/certificates — issue one certificate, taking the definition's next free code, and text its link to the phone unless `sendSms: false` (send `Idempotency-Key` to make retries safe)
import { decodeCursor, encodeCursor } from "@/lib/api/cards";
import { loadApiCertificate, presentCertificate } from "@/lib/api/certificates";
import { issueCertificateRequestSchema, listCertificatesQuerySchema } from "@/lib/api/certificate-schemas";
import { idempotent } from "@/lib/api/idempotency";
import { queryOf, readJson, withApiKey } from "@/lib/api/with-api-key";
import { dispatchOutbox } from "@/lib/outbox";
import { issueCertificatesWithSms } from "@/lib/gift-certificates/sms";
import { listCertificates } from "@/lib/gift-certificates/queries";

export const GET = withApiKey("certificates:read", async ({ db, merchantId, merchant }, request) => {
  const { cursor, limit, ...filters } = listCertificatesQuerySchema(merchant.country).parse(queryOf(request));
  const page = await listCertificates(db, merchantId, filters, { after: cursor ? decodeCursor(cursor) : undefined, limit });
  return Response.json({ data: page.rows.map(presentCertificate), nextCursor: page.next ? encodeCursor(page.next) : null });
});

export const POST = withApiKey("certificates:write", async ({ db, merchantId, merchant, actor }, request) => {
  const body = await readJson(request);
  const input = issueCertificateRequestSchema(merchant.country).parse(body.value);
  let outboxIds: string[] = [];
  const response = await idempotent(db, merchantId, request, body.text, async (outer) =>
    outer.transaction(async (tx) => {
      const done = await issueCertificatesWithSms(
        tx,
        { merchantId, actor },
        input.definitionId,
        [{ phone: input.phone, amount: input.amount, message: input.message }],
        { sendSms: input.sendSms },
      );
      outboxIds = done.outboxIds;
      return { status: 201, body: await loadApiCertificate(tx, merchantId, done.issued[0].card.id) };
    }),
  );
  // After commit (a replayed key issued nothing and queues nothing); a lost hand-off is the outbox sweep's.
  await dispatchOutbox(outboxIds);
  return response;
});
