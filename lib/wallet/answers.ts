import "server-only";
import type { Db } from "@/db";
import { isCleanParam } from "@/lib/validations/common";
import { buildCardPass, keptCardPass, loadCardForPass } from "./pass";
import { authenticatePass, listUpdatedSerials, parseSinceTag } from "./service";

/**
 * What the web service's two hot GETs answer, apart from any HTTP framework: the Next route handlers
 * and the fast path in scripts/server.ts both send exactly this.
 */
export type WalletAnswer = { status: number; headers?: Record<string, string>; body?: string | Buffer };

/** A path segment with a control character (`%00`) names nothing: 404, as lib/wallet/route.ts answers the rest. */
const NOT_FOUND: WalletAnswer = { status: 404 };

/** GET …/devices/{device}/registrations/{passType}?passesUpdatedSince= */
export async function answerSerials(db: Db, deviceLibraryId: string, passTypeId: string, passesUpdatedSince: string | null): Promise<WalletAnswer> {
  if (!isCleanParam(deviceLibraryId) || !isCleanParam(passTypeId)) return NOT_FOUND;
  const found = await listUpdatedSerials(db, deviceLibraryId, passTypeId, parseSinceTag(passesUpdatedSince));
  return found ? { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(found) } : { status: 204 };
}

/** GET …/passes/{passType}/{serial}: 401 without the pass's token, 304 when not modified since, else the .pkpass. */
export async function answerLatestPass(
  db: Db,
  passTypeId: string,
  serialNumber: string,
  authorization: string | null,
  ifModifiedSince: string | null,
): Promise<WalletAnswer> {
  if (!isCleanParam(passTypeId) || !isCleanParam(serialNumber)) return NOT_FOUND;
  const card = await authenticatePass(db, passTypeId, serialNumber, authorization);
  if (!card) return { status: 401 };
  // HTTP dates have whole seconds; every change moves the tag into a new second (db/queries/card-status.ts).
  const modified = Math.floor(card.updateTag / 1000) * 1000;
  const since = Date.parse(ifModifiedSince ?? "");
  const lastModified = new Date(modified).toUTCString();
  if (!Number.isNaN(since) && since >= modified) return { status: 304, headers: { "last-modified": lastModified } };
  // An unchanged card is answered from the kept pass before anything else about it is read.
  const kept = await keptCardPass(db, card.merchantId, card);
  const { pkpass, cached } = kept
    ? { pkpass: kept, cached: true }
    : await buildCardPass(db, await loadCardForPass(db, card.merchantId, card.id), { report: true });
  return {
    status: 200,
    // x-carddesk-pass says whether this answer was built now or kept from an earlier build (for operators and the benchmark).
    headers: {
      "content-type": "application/vnd.apple.pkpass",
      "last-modified": lastModified,
      "cache-control": "no-cache",
      "x-carddesk-pass": cached ? "cached" : "built",
    },
    body: pkpass,
  };
}

export function toResponse(answer: WalletAnswer): Response {
  const body = answer.body === undefined ? null : typeof answer.body === "string" ? answer.body : new Uint8Array(answer.body);
  return new Response(body, { status: answer.status, headers: answer.headers });
}
