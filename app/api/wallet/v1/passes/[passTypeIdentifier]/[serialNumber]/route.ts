// GET /api/wallet/v1/passes/{passType}/{serial} — the latest version of a pass (304 when unchanged)
import { buildCardPass, loadCardForPass } from "@/lib/wallet/pass";
import { authenticatePass } from "@/lib/wallet/service";
import { status, walletRoute } from "@/lib/wallet/route";

type Params = { passTypeIdentifier: string; serialNumber: string };

export const GET = walletRoute<Params>(async (db, request, p) => {
  const card = await authenticatePass(db, p.passTypeIdentifier, p.serialNumber, request.headers.get("authorization"));
  if (!card) return status(401);
  // HTTP dates have whole seconds; every change moves the tag into a new second (lib/cards/status.ts).
  const modified = Math.floor(card.updateTag / 1000) * 1000;
  const since = Date.parse(request.headers.get("if-modified-since") ?? "");
  const lastModified = new Date(modified).toUTCString();
  if (!Number.isNaN(since) && since >= modified) return new Response(null, { status: 304, headers: { "last-modified": lastModified } });
  const { pkpass, cached } = await buildCardPass(db, await loadCardForPass(db, card.merchantId, card.id), { report: true });
  return new Response(new Uint8Array(pkpass), {
    // x-carddesk-pass says whether this answer was built now or kept from an earlier build (for operators and the benchmark).
    headers: { "content-type": "application/vnd.apple.pkpass", "last-modified": lastModified, "cache-control": "no-cache", "x-carddesk-pass": cached ? "cached" : "built" },
  });
});
