// POST /api/gift-certificates/{id}/codes?importGood=1 — a CSV of promo codes (the raw body, at most 8 MB: 413 over it) for a definition's pool
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { decodeCsv } from "@/lib/cards/import-upload";
import { AppError } from "@/lib/errors";
import { tooLargeMessage } from "@/lib/files/limits";
import { readBodyWithin } from "@/lib/files/read-body";
import { CODE_FILE_MAX_BYTES, uploadCodes } from "@/lib/gift-certificates/pool";
import { isCrossOrigin } from "@/lib/security/origin";

const answer = (status: number, body: unknown) => Response.json(body, { status, headers: { "cache-control": "no-store" } });
/** Problems shown per line; a file with more says how many in all. */
const SHOWN_PROBLEMS = 200;

export const POST = withStaff<{ id: string }>("giftCertificates.manage", async (ctx, request, { id }) => {
  if (isCrossOrigin(request)) return answer(403, { error: { code: "forbidden", message: "errors.forbidden" } });
  const importGood = new URL(request.url).searchParams.get("importGood") === "1";
  const body = await readBodyWithin(request, CODE_FILE_MAX_BYTES);
  if (!body.ok) {
    const { message, params } = tooLargeMessage(CODE_FILE_MAX_BYTES);
    return answer(413, { error: { code: "too_large", message, data: { params } } });
  }
  try {
    // Decoded and parsed a slice at a time, yielding between slices (as the card import): never the whole text at once.
    const result = await uploadCodes(getDb(), ctx, id, decodeCsv(body.bytes), { importGood });
    return answer(200, { ...result, problems: result.problems.slice(0, SHOWN_PROBLEMS) });
  } catch (err) {
    if (err instanceof AppError && (err.code === "validation" || err.code === "not_found" || err.code === "conflict"))
      return answer(err.code === "not_found" ? 404 : 422, { error: { code: err.code, message: err.message, data: { params: err.params } } });
    throw err;
  }
});
