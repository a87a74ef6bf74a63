// POST /api/cards/imports?templateId=…&skipExisting=1&name=… — check a CSV of cards (the raw body) and keep it as an import to confirm
import { getDb } from "@/db";
import { withStaff } from "@/lib/auth/route";
import { previewUploadedImport, importUploadSchema } from "@/lib/cards/import-upload";
import { AppError } from "@/lib/errors";
import { CSV_IMPORT_MAX_BYTES, tooLargeMessage } from "@/lib/files/limits";
import { readBodyWithin } from "@/lib/files/read-body";
import { isCrossOrigin } from "@/lib/security/origin";

/** `message` is a translation key; `data.field` says which field of the form it belongs to. */
const refuse = (status: number, code: string, message: string, data: { field?: string; params?: Record<string, string | number> } = {}) =>
  Response.json({ error: { code, message, data } }, { status, headers: { "cache-control": "no-store" } });

// A large file streams here instead of through a server action, whose body limit is sized for images.
export const POST = withStaff<Record<string, never>>("cards.issue", async (ctx, request) => {
  // The session cookie rides along on any same-site request; only the cabinet's own pages may post files.
  if (isCrossOrigin(request)) return refuse(403, "forbidden", "errors.forbidden");
  const query = importUploadSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    const issue = query.error.issues[0];
    return refuse(422, "validation", issue.message, { field: String(issue.path[0] ?? "file") });
  }
  const body = await readBodyWithin(request, CSV_IMPORT_MAX_BYTES);
  if (!body.ok) {
    const { message, params } = tooLargeMessage(CSV_IMPORT_MAX_BYTES);
    return refuse(413, "too_large", message, { field: "file", params });
  }
  try {
    const { importId } = await previewUploadedImport(getDb(), ctx, {
      templateId: query.data.templateId,
      fileName: query.data.name,
      bytes: body.bytes,
      skipExisting: query.data.skipExisting,
    });
    return Response.json({ id: importId, url: `/cards/import/${importId}` }, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof AppError && err.code === "validation") {
      const field = Object.keys(err.fieldErrors ?? {})[0] ?? "file";
      return refuse(422, "validation", err.message, { field, params: err.params });
    }
    throw err;
  }
});
