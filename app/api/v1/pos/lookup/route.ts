// GET /api/v1/pos/lookup — the till finds a card by what it scanned or typed, or by the holder's phone
import { presentLookup } from "@/lib/api/ledger";
import { lookupQuerySchema } from "@/lib/api/ledger-schemas";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { lookupCard } from "@/lib/ledger/lookup";
import { checkPhoneLookup } from "@/lib/till/pin";
import { lookupScanned } from "@/lib/till/qr";

export const GET = withApiKey("pos:write", async ({ db, merchantId, merchant, tillSettings }, request) => {
  const query = lookupQuerySchema(merchant.country).parse(queryOf(request));
  // A merchant may require the PIN flow (/pos/authorizations) for phones.
  if (query.phone !== undefined) checkPhoneLookup(tillSettings);
  // A scanner typing in the Russian layout, and the rotating anti-copy QR (lib/till/qr).
  const { code, ...rest } = query;
  return Response.json(presentLookup(code !== undefined ? await lookupScanned(db, merchantId, code, rest) : await lookupCard(db, merchantId, query)));
});
