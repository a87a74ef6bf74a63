// GET /api/files/{id} — an uploaded image (logos) by its random id
import { isUuid } from "@/lib/validations/common";
import { getDb } from "@/db";
import { readFile } from "@/lib/files";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isUuid(id)) return new Response("Not found", { status: 404 });
  const file = await readFile(getDb(), id);
  if (!file) return new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(file.data), {
    headers: {
      "content-type": file.contentType,
      "content-length": String(file.byteSize),
      // A file id never changes content: a new upload gets a new id.
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
