import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { files } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { decodeImage, sniffImageFormat, type ImageInfo } from "./image";
import { tooLargeMessage } from "./limits";

export type ImageRules = { maxBytes: number; minWidth: number; minHeight: number; maxWidth: number; maxHeight: number; pngOnly?: boolean };

/**
 * Checks an upload is a PNG, JPEG or WebP within the size and dimension limits, decodes it fully and
 * gives back a clean re-encoded PNG to store; the error names what is wrong.
 */
export async function validateImage(field: string, file: File, rules: ImageRules): Promise<{ buf: Buffer; info: ImageInfo }> {
  const fail = (message: string, params: Record<string, string | number>) => new AppError("validation", message, { [field]: message }, params);
  if (file.size > rules.maxBytes) {
    const { message, params } = tooLargeMessage(rules.maxBytes);
    throw fail(message, params);
  }
  const { minWidth, minHeight, maxWidth, maxHeight } = rules;
  const bytes = Buffer.from(await file.arrayBuffer());
  // Told before decoding: "save it as PNG" helps more than "damaged" for a JPEG in a PNG-only slot.
  const claimed = sniffImageFormat(bytes);
  if (rules.pngOnly && claimed && claimed !== "png") throw fail("validation.imagePng", {});
  const decoded = await decodeImage(bytes, { maxWidth, maxHeight });
  if (!decoded.ok) {
    if (decoded.reason === "dimensions")
      throw fail("validation.imageDimensions", { width: decoded.width, height: decoded.height, minWidth, minHeight, maxWidth, maxHeight });
    // A PNG-only slot names PNG alone, as its label does, never the formats other slots take.
    if (rules.pngOnly) throw fail(decoded.reason === "corrupt" ? "validation.imagePngCorrupt" : "validation.imagePngType", {});
    throw fail(decoded.reason === "corrupt" ? "validation.imageCorrupt" : "validation.imageType", {});
  }
  const { width, height } = decoded.info;
  if (width < minWidth || height < minHeight) throw fail("validation.imageDimensions", { width, height, minWidth, minHeight, maxWidth, maxHeight });
  return { buf: decoded.png, info: decoded.info };
}

export async function saveFile(db: Db, merchantId: string, buf: Buffer, contentType: string): Promise<string> {
  const [row] = await db.insert(files).values({ merchantId, contentType, byteSize: buf.length, data: buf }).returning({ id: files.id });
  return row.id;
}

export async function deleteFile(db: Db, merchantId: string, id: string): Promise<void> {
  await db.delete(files).where(and(eq(files.id, id), eq(files.merchantId, merchantId)));
}

/** Public read by id (ids are random UUIDs); used for logos shown on customer pages. */
export async function readFile(db: Db, id: string) {
  const [row] = await db.select().from(files).where(eq(files.id, id));
  return row;
}
