// GET /api/v1/cards/{id}/pass — the card's signed Apple Wallet pass (.pkpass)
import { withApiKey } from "@/lib/api/with-api-key";
import { NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validations/common";
import { buildCardPass, loadCardForPass } from "@/lib/wallet/pass";

export const GET = withApiKey<{ id: string }>("cards:read", async ({ db, merchantId }, _request, { id }) => {
  // A malformed id is as unknown as a missing one, not a database error.
  if (!isUuid(id)) throw new NotFoundError();
  const data = await loadCardForPass(db, merchantId, id);
  const pkpass = await buildCardPass(db, data);
  return new Response(new Uint8Array(pkpass), {
    headers: {
      "content-type": "application/vnd.apple.pkpass",
      // Numbers are letters, digits and dashes; the filter keeps a header safe should another path store more.
      "content-disposition": `attachment; filename="${data.card.number.replace(/[^A-Za-z0-9-]/g, "") || "card"}.pkpass"`,
      "cache-control": "no-store",
    },
  });
});
