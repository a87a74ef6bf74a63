import "server-only";
import { isUtf8 } from "node:buffer";
import { z } from "zod";
import type { Db } from "@/db";
import type { AuditActor } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { previewCardImport } from "./import";

/** What the import page sends beside the file (in the query string; the body is the file itself). */
export const importUploadSchema = z.object({
  templateId: z.uuid({ error: "cards.errors.template" }),
  skipExisting: z.preprocess((v) => v === "1" || v === "true" || v === "on", z.boolean()),
  // Only shown back in the list of imports; control characters would make it unreadable there.
  name: z
    .string()
    .max(1000)
    .default("")
    .transform(
      (v) =>
        v
          .replace(/\p{Cc}/gu, "")
          .trim()
          .slice(0, 200) || "import.csv",
    ),
});

export const DECODE_CHUNK = 64 * 1024;

/**
 * The file's text, a slice at a time: UTF-8, or else Windows-1251, what Russian Excel writes when it
 * saves "CSV (разделители — точка с запятой)". The check is native and quick; the decoding then goes
 * slice by slice, so the reader can pause between slices and the whole text never sits in memory.
 */
export function* decodeCsv(bytes: Uint8Array): Generator<string> {
  const decoder = new TextDecoder(isUtf8(bytes) ? "utf-8" : "windows-1251");
  for (let at = 0; at < bytes.byteLength; at += DECODE_CHUNK) yield decoder.decode(bytes.subarray(at, at + DECODE_CHUNK), { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Checks an uploaded CSV and keeps it as an import in preview; the first file-level problem is
 * thrown as a refusal of the file field, so the page shows it next to the file.
 */
export async function previewUploadedImport(
  db: Db,
  actor: AuditActor,
  input: { templateId: string; fileName: string; bytes: Uint8Array; skipExisting: boolean },
): Promise<{ importId: string }> {
  if (input.bytes.byteLength === 0) throw new AppError("validation", "validation.fileRequired", { file: "validation.fileRequired" });
  const outcome = await previewCardImport(db, actor, {
    templateId: input.templateId,
    fileName: input.fileName,
    text: decodeCsv(input.bytes),
    skipExisting: input.skipExisting,
  });
  if (!outcome.ok) {
    const first = outcome.fileErrors[0];
    throw new AppError("validation", first.message, { file: first.message }, first.params);
  }
  return { importId: outcome.importId };
}
