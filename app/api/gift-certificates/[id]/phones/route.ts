// POST /api/gift-certificates/{id}/phones?name=… — a CSV of recipients (the raw body), checked and kept as an import to confirm
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { CSV_IMPORT_MAX_BYTES, tooLargeMessage } from "@/lib/files/limits";
import { readBodyWithin } from "@/lib/files/read-body";
import { previewPhoneImport } from "@/lib/gift-certificates/phone-import";
import { isCrossOrigin } from "@/lib/security/origin";

const refuse = (status: number, code: string, message: string, params?: Record<string, string | number>) =>
  Response.json({ error: { code, message, data: { field: "file", params } } }, { status, headers: { "cache-control": "no-store" } });

export const POST = withStaff<{ id: string }>("giftCertificates.manage", async (ctx, request, { id }) => {
  if (isCrossOrigin(request)) return refuse(403, "forbidden", "errors.forbidden");
  const name =
    (new URL(request.url).searchParams.get("name") ?? "")
      .replace(/\p{Cc}/gu, "")
      .trim()
      .slice(0, 200) || "phones.csv";
  const body = await readBodyWithin(request, CSV_IMPORT_MAX_BYTES);
  if (!body.ok) {
    const { message, params } = tooLargeMessage(CSV_IMPORT_MAX_BYTES);
    return refuse(413, "too_large", message, params);
  }
  try {
    const { importId } = await previewPhoneImport(getDb(), ctx, { definitionId: id, fileName: name, bytes: body.bytes });
    return Response.json({ id: importId, url: `/cards/import/${importId}` }, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof AppError && err.code !== "unauthorized" && err.code !== "forbidden")
      return refuse(err.code === "not_found" ? 404 : err.code === "validation" ? 422 : 409, err.code, err.message, err.params);
    throw err;
  }
});
