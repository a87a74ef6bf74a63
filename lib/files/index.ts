import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { files } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { readImageInfo, type ImageInfo } from "./image";

export type ImageRules = { maxBytes: number; minWidth: number; minHeight: number; maxWidth: number; maxHeight: number; pngOnly?: boolean };

/** Checks an upload is a PNG, JPEG or WebP within the size and dimension limits; the error names what is wrong. */
export async function validateImage(field: string, file: File, rules: ImageRules): Promise<{ buf: Buffer; info: ImageInfo }> {
  const fail = (message: string, params: Record<string, string | number>) => new AppError("validation", message, { [field]: message }, params);
  if (file.size > rules.maxBytes) throw fail("validation.imageTooLarge", { max: Math.round(rules.maxBytes / 1024) });
  const buf = Buffer.from(await file.arrayBuffer());
  const info = readImageInfo(buf);
  if (!info) throw fail("validation.imageType", {});
  if (rules.pngOnly && info.type !== "image/png") throw fail("validation.imagePng", {});
  const { width, height } = info;
  if (width < rules.minWidth || height < rules.minHeight || width > rules.maxWidth || height > rules.maxHeight) {
    const { minWidth, minHeight, maxWidth, maxHeight } = rules;
    throw fail("validation.imageDimensions", { width, height, minWidth, minHeight, maxWidth, maxHeight });
  }
  return { buf, info };
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
