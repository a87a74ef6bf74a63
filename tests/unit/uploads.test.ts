import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { validateImage, type ImageRules } from "@/lib/files";
import { checkFileSize, SERVER_ACTION_BODY_LIMIT_BYTES, tooLargeMessage } from "@/lib/files/limits";
import { LOGO_RULES } from "@/lib/validations/merchants";
import { TEMPLATE_IMAGE_RULES } from "@/lib/templates/images";
import { makePng } from "../fixtures/png";

const rules: ImageRules = { maxBytes: 1024 * 1024, minWidth: 64, minHeight: 64, maxWidth: 4096, maxHeight: 4096 };
const file = (bytes: Buffer, name = "logo.png") => new File([new Uint8Array(bytes)], name, { type: "image/png" });

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A PNG whose signature, IHDR and chunk checksums are all right, but whose pixel data is noise. */
function pngWithNoise(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", randomBytes(4000)), chunk("IEND", Buffer.alloc(0))]);
}

const refusal = (field: string, message: string) => ({ code: "validation", message, fieldErrors: { [field]: message } });

describe("uploaded images are decoded, not trusted by their header", () => {
  it("refuses a PNG header followed by random bytes", async () => {
    const forged = Buffer.concat([makePng(128, 128).subarray(0, 33), randomBytes(20_000)]);
    await expect(validateImage("logo", file(forged), rules)).rejects.toMatchObject(refusal("logo", "validation.imageCorrupt"));
  });

  it("refuses a PNG whose header and checksums are right but whose pixels are noise", async () => {
    await expect(validateImage("logo", file(pngWithNoise(128, 128)), rules)).rejects.toMatchObject(refusal("logo", "validation.imageCorrupt"));
  });

  it("refuses a truncated PNG", async () => {
    const whole = makePng(256, 256, [1, 2, 3]);
    await expect(validateImage("logo", file(whole.subarray(0, whole.length - 40)), rules)).rejects.toMatchObject(refusal("logo", "validation.imageCorrupt"));
  });

  it("refuses what is not a PNG, JPEG or WebP, even what the decoder could read", async () => {
    await expect(validateImage("logo", file(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg' width='100' height='100'/>")), rules)).rejects.toMatchObject(
      refusal("logo", "validation.imageType"),
    );
    const gif = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#00ff00" } })
      .gif()
      .toBuffer();
    await expect(validateImage("logo", file(gif, "logo.gif"), rules)).rejects.toMatchObject(refusal("logo", "validation.imageType"));
  });

  it("refuses a header claiming a huge image without expanding it", async () => {
    const bomb = pngWithNoise(60_000, 60_000);
    await expect(validateImage("logo", file(bomb), rules)).rejects.toMatchObject({
      fieldErrors: { logo: "validation.imageDimensions" },
      params: { width: 60_000, height: 60_000 },
    });
  });

  it("stores a clean re-encoded PNG: same pixels, none of the extra bytes the upload carried", async () => {
    const padded = makePng(128, 128, [37, 99, 235], 200_000);
    const { buf, info } = await validateImage("logo", file(padded), rules);
    expect(info).toEqual({ type: "image/png", width: 128, height: 128 });
    expect(buf.length).toBeLessThan(10_000);
    expect(buf.includes(padded.subarray(padded.length - 1000, padded.length - 12))).toBe(false);
    const { data, info: raw } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
    expect([raw.width, raw.height]).toEqual([128, 128]);
    expect([...data.subarray(0, 3)]).toEqual([37, 99, 235]);
  });

  it("turns a JPEG logo into a PNG; template slots still take PNG only", async () => {
    const jpeg = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#ff0000" } })
      .jpeg()
      .toBuffer();
    const { buf, info } = await validateImage("logo", file(jpeg, "logo.jpg"), rules);
    expect(info).toEqual({ type: "image/png", width: 200, height: 100 });
    expect((await sharp(buf).metadata()).format).toBe("png");
    await expect(validateImage("file", file(jpeg, "logo.jpg"), TEMPLATE_IMAGE_RULES.logo)).rejects.toMatchObject(refusal("file", "validation.imagePng"));
  });
});

describe("upload limits", () => {
  it("name the limit in the unit people read", () => {
    expect(tooLargeMessage(1024 * 1024)).toEqual({ message: "validation.fileTooLargeMb", params: { max: 1 } });
    expect(tooLargeMessage(512 * 1024)).toEqual({ message: "validation.fileTooLargeKb", params: { max: 512 } });
    expect(checkFileSize({ size: 512 * 1024 }, 512 * 1024)).toBeNull();
    expect(checkFileSize({ size: 512 * 1024 + 1 }, 512 * 1024)).toEqual({ message: "validation.fileTooLargeKb", params: { max: 512 } });
    expect(checkFileSize(null, 1)).toBeNull();
  });

  it("refuse an image over its limit on the server with that message, before reading it", async () => {
    const big = makePng(128, 128, [0, 0, 0], 5 * 1024 * 1024);
    await expect(validateImage("logo", file(big), LOGO_RULES)).rejects.toMatchObject({
      fieldErrors: { logo: "validation.fileTooLargeMb" },
      params: { max: 1 },
    });
    await expect(validateImage("file", file(big), TEMPLATE_IMAGE_RULES.strip)).rejects.toMatchObject({
      fieldErrors: { file: "validation.fileTooLargeMb" },
      params: { max: 1 },
    });
    await expect(validateImage("file", file(big), TEMPLATE_IMAGE_RULES.icon)).rejects.toMatchObject({
      fieldErrors: { file: "validation.fileTooLargeKb" },
      params: { max: 256 },
    });
  });

  it("let a server action body hold the largest image with its form, and nothing near a CSV import", () => {
    const largest = Math.max(LOGO_RULES.maxBytes, ...Object.values(TEMPLATE_IMAGE_RULES).map((r) => r.maxBytes));
    expect(SERVER_ACTION_BODY_LIMIT_BYTES).toBeGreaterThan(largest);
    expect(SERVER_ACTION_BODY_LIMIT_BYTES).toBeLessThanOrEqual(largest + 64 * 1024);
  });
});
