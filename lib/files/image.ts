import "server-only";
import sharp, { type Metadata } from "sharp";

export type ImageInfo = { type: "image/png"; width: number; height: number };
export type ImageFormat = "png" | "jpeg" | "webp";

export type DecodeOutcome =
  | { ok: true; png: Buffer; info: ImageInfo; format: ImageFormat }
  | { ok: false; reason: "type" | "corrupt" }
  | { ok: false; reason: "dimensions"; width: number; height: number };

/**
 * Decodes an upload completely and re-encodes it as a clean PNG (no metadata, no trailing bytes):
 * a file whose header looks right but whose pixels do not decode is refused. The dimensions are
 * checked from the header before the pixels are decoded, so a tiny file claiming a huge image is
 * refused without being expanded. sharp runs on libuv's thread pool, so the event loop stays free.
 */
export async function decodeImage(buf: Buffer, bounds: { maxWidth: number; maxHeight: number }): Promise<DecodeOutcome> {
  // Only these three reach the decoder: SVG, GIF, TIFF and the rest that libvips could read are refused unread.
  const format = sniffImageFormat(buf);
  if (!format) return { ok: false, reason: "type" };
  let meta: Metadata;
  try {
    // Only the header is read here, so no pixel limit yet: the size is judged against the bounds below.
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    // It starts like an image but its header does not parse: a damaged image, not another type.
    return { ok: false, reason: "corrupt" };
  }
  if (meta.format !== format || !meta.width || !meta.height) return { ok: false, reason: "corrupt" };
  // EXIF orientations 5–8 turn the image a quarter, so the upright size swaps the header's.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  if (width > bounds.maxWidth || height > bounds.maxHeight) return { ok: false, reason: "dimensions", width, height };
  try {
    const { data, info } = await sharp(buf, { failOn: "error", limitInputPixels: meta.width * meta.height, animated: false })
      .autoOrient()
      .png()
      .toBuffer({ resolveWithObject: true });
    return { ok: true, png: data, info: { type: "image/png", width: info.width, height: info.height }, format };
  } catch {
    return { ok: false, reason: "corrupt" };
  }
}

/** The format the file's first bytes announce (a claim only: decodeImage checks it by decoding). */
export function sniffImageFormat(buf: Buffer): ImageFormat | null {
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47 && buf.readUInt32BE(4) === 0x0d0a1a0a) return "png";
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "jpeg";
  if (buf.length >= 12 && buf.toString("ascii", 0, 4) === "RIFF" && buf.toString("ascii", 8, 12) === "WEBP") return "webp";
  return null;
}
