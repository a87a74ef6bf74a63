import "server-only";
import { createHash } from "node:crypto";
import { toBuffer } from "do-not-zip";
import { PKPass } from "passkit-generator";
import { hexToRgb, makePng } from "@/lib/files/png";
import { PassBuildError, buildPassJson, type PassInput } from "./pass-json";
import { createManifestSigner } from "./sign";
import type { RetinaSet } from "./retina";
import type { AppleSigner } from "./signer";
import { passStrings } from "./strings";

/** Each image as one PNG, or as the @1x/@2x/@3x set Wallet picks from by screen (see ./retina). */
export type PassImage = Buffer | RetinaSet;
export type PassImages = { logo?: PassImage; icon?: PassImage; strip?: PassImage };

/** `logo.png`, and `logo@2x.png` / `logo@3x.png` when the image comes as a set. */
function addImage(files: Record<string, Buffer>, name: string, image: PassImage) {
  if (Buffer.isBuffer(image)) {
    files[`${name}.png`] = image;
    return;
  }
  files[`${name}.png`] = image.x1;
  files[`${name}@2x.png`] = image.x2;
  files[`${name}@3x.png`] = image.x3;
}

const signers = new WeakMap<AppleSigner, (manifest: Buffer) => Buffer>();

/** The files of a pass before signing: pass.json, images and one pass.strings per language. */
export function passFiles(input: Omit<PassInput, "passTypeId" | "teamId">, signer: AppleSigner, images: PassImages = {}): Record<string, Buffer> {
  const { passJson, strings } = buildPassJson({ ...input, passTypeId: signer.passTypeId, teamId: signer.teamId });
  const files: Record<string, Buffer> = { "pass.json": Buffer.from(JSON.stringify(passJson)) };
  // Apple refuses a pass without an icon: without an upload, a tile in the card's colour stands in.
  addImage(files, "icon", images.icon ?? makePng(87, 87, hexToRgb(input.definition.design.backgroundColor) ?? [79, 70, 229]));
  if (images.logo) addImage(files, "logo", images.logo);
  if (images.strip && input.kind !== "membership" && input.kind !== "generic") addImage(files, "strip", images.strip);
  for (const [lang, table] of Object.entries(strings)) files[`${lang}.lproj/pass.strings`] = passStrings(table);
  // passkit-generator checks pass.json against Apple's schema; it only warns and drops what it rejects,
  // so an empty result means Wallet would refuse the pass.
  if (!new PKPass({ "pass.json": files["pass.json"] }).props.serialNumber) throw new PassBuildError("pass.json was rejected by the pass schema");
  return files;
}

/** A signed .pkpass for one card from its template version. */
export function buildApplePass(input: Omit<PassInput, "passTypeId" | "teamId">, signer: AppleSigner, images: PassImages = {}): Buffer {
  const files = passFiles(input, signer, images);
  const manifest: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) manifest[name] = createHash("sha1").update(data).digest("hex");
  const manifestBuffer = Buffer.from(JSON.stringify(manifest));
  let sign = signers.get(signer);
  if (!sign) signers.set(signer, (sign = createManifestSigner(signer)));
  return toBuffer([
    ...Object.entries(files).map(([path, data]) => ({ path, data })),
    { path: "manifest.json", data: manifestBuffer },
    { path: "signature", data: sign(manifestBuffer) },
  ]);
}
