import "server-only";
import { PKPass } from "passkit-generator";
import { makePng } from "@/lib/files/png";
import type { AppleSigner } from "./signer";
import { buildPassJson, type PassInput } from "./pass-json";

export type PassImages = { logo?: Buffer; icon?: Buffer; strip?: Buffer };

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A signed .pkpass for one card from its template version. */
export function buildApplePass(input: Omit<PassInput, "passTypeId" | "teamId">, signer: AppleSigner, images: PassImages = {}): Buffer {
  const { passJson, strings } = buildPassJson({ ...input, passTypeId: signer.passTypeId, teamId: signer.teamId });
  const files: Record<string, Buffer> = {
    "pass.json": Buffer.from(JSON.stringify(passJson)),
    // Apple refuses a pass without an icon: without an upload, a tile in the card's colour stands in.
    "icon.png": images.icon ?? makePng(87, 87, hexToRgb(input.definition.design.backgroundColor)),
  };
  if (images.logo) files["logo.png"] = images.logo;
  if (images.strip && input.kind !== "membership" && input.kind !== "generic") files["strip.png"] = images.strip;
  const pass = new PKPass(files, { wwdr: signer.wwdrPem, signerCert: signer.signerCertPem, signerKey: signer.signerKeyPem });
  for (const [lang, table] of Object.entries(strings)) pass.localize(lang, table);
  return pass.getAsBuffer();
}
