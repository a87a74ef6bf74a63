// GET /api/v1/pos/lookup — the till finds a card by what it scanned or typed, or by the holder's phone
import { presentLookup } from "@/lib/api/ledger";
import { lookupQuerySchema } from "@/lib/api/ledger-schemas";
import { queryOf, withApiKey } from "@/lib/api/with-api-key";
import { lookupCard } from "@/lib/ledger/lookup";
import { fromRussianLayout } from "@/lib/till/layout";
import { checkPhoneLookup } from "@/lib/till/pin";
import { tillCodeOf } from "@/lib/till/qr";

export const GET = withApiKey("pos:write", async ({ db, merchantId, merchant, tillSettings }, request) => {
  const query = lookupQuerySchema(merchant.country).parse(queryOf(request));
  // A merchant may require the PIN flow (/pos/authorizations) for phones.
  if (query.phone !== undefined) checkPhoneLookup(tillSettings);
  // A scanner typing in the Russian layout, and the rotating anti-copy QR (lib/till).
  if (query.code !== undefined) query.code = await tillCodeOf(db, merchantId, fromRussianLayout(query.code));
  return Response.json(presentLookup(await lookupCard(db, merchantId, query)));
});
