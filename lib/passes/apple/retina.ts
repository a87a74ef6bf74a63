import "server-only";
import sharp from "sharp";

/** An image as Wallet wants it: the same picture at 1×, 2× and 3× for the screens' pixel densities. */
export type RetinaSet = { x1: Buffer; x2: Buffer; x3: Buffer };

/** Apple's boxes in points (the strip's is the tallest any pass style uses; a wider picture keeps its shape). */
export const APPLE_IMAGE_BOX = { logo: { width: 160, height: 50 }, icon: { width: 29, height: 29 }, strip: { width: 375, height: 144 } } as const;
export type AppleImageSlot = keyof typeof APPLE_IMAGE_BOX;

// Uploaded files never change (a new upload is a new file), so their variants are made once and kept.
const kept = new Map<string, Promise<RetinaSet>>();
const MAX_KEPT = 300;

async function scaled(data: Buffer, slot: AppleImageSlot, scale: number): Promise<Buffer> {
  const box = APPLE_IMAGE_BOX[slot];
  return sharp(data)
    .resize({ width: box.width * scale, height: box.height * scale, fit: "inside", withoutEnlargement: true })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/**
 * The @1x, @2x and @3x variants of one uploaded image, generated from the single upload by sharp (in
 * libuv's pool, off the event loop) and kept by file id. An upload smaller than a box is never
 * enlarged: the larger variants then repeat the largest it can give.
 */
export function retinaVariants(fileId: string, slot: AppleImageSlot, data: Buffer): Promise<RetinaSet> {
  const key = `${slot}:${fileId}`;
  let set = kept.get(key);
  if (!set) {
    set = Promise.all([scaled(data, slot, 1), scaled(data, slot, 2), scaled(data, slot, 3)]).then(([x1, x2, x3]) => ({ x1, x2, x3 }));
    set.catch(() => kept.delete(key));
    kept.set(key, set);
    if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  }
  return set;
}
