// npm run bench:passes [-- N] — builds and signs N passes from one template with our builder and with
// bare passkit-generator on the same files, prints passes/s for both, and verifies every signature.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { PKPass } from "passkit-generator";
import { makePng } from "@/lib/files/png";
import { buildApplePass, passFiles } from "@/lib/passes/apple";
import { generateDevelopmentCertificate } from "@/lib/passes/apple/dev-certificate";
import type { PassCard } from "@/lib/passes/apple/pass-json";
import { defaultDefinition } from "@/lib/templates/definition";

const N = Number(process.argv[2] ?? 200);
const material = generateDevelopmentCertificate("bench");
const signer = { ...material, development: true };
const definition = defaultDefinition("loyalty", "Bench Coffee");
const images = { logo: makePng(160, 50), strip: makePng(375, 123) };
const card = (i: number): PassCard => ({
  serialNumber: `bench-${i}`,
  authenticationToken: randomBytes(16).toString("hex"),
  number: String(1_000_000 + i),
  holderName: "Anna Petrova",
  balance: i,
  discount: 5,
  expiresAt: null,
  custom: {},
  voided: false,
});
const input = (i: number) => ({
  kind: "loyalty" as const,
  definition,
  card: card(i),
  organizationName: "Bench Coffee",
  currency: "RUB",
  appUrl: "https://cards.example.com",
  locations: [],
});

function rate(label: string, build: (i: number) => Buffer): { perSecond: number; outputs: Buffer[] } {
  build(-1); // warm-up: module loading and first-use parsing are not what we measure
  const outputs: Buffer[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) outputs.push(build(i));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = N / seconds;
  console.log(`${label.padEnd(28)} ${N} passes in ${seconds.toFixed(2)} s = ${perSecond.toFixed(1)} passes/s`);
  return { perSecond, outputs };
}

const ours = rate("CardDesk builder", (i) => buildApplePass(input(i), signer, images));
const bare = rate("bare passkit-generator", (i) =>
  new PKPass(passFiles(input(i), signer, images), {
    wwdr: material.wwdrPem,
    signerCert: material.signerCertPem,
    signerKey: material.signerKeyPem,
  }).getAsBuffer(),
);
console.log(`speed-up: ${(ours.perSecond / bare.perSecond).toFixed(1)}× (target ≥ 10×)`);

const dir = mkdtempSync(path.join(tmpdir(), "bench-passes-"));
writeFileSync(path.join(dir, "ca.pem"), material.wwdrPem);
let verified = 0;
for (const pkpass of ours.outputs) {
  const zip = await JSZip.loadAsync(pkpass);
  writeFileSync(path.join(dir, "manifest.json"), await zip.file("manifest.json")!.async("nodebuffer"));
  writeFileSync(path.join(dir, "signature"), await zip.file("signature")!.async("nodebuffer"));
  execFileSync(
    "openssl",
    [
      "smime",
      "-verify",
      "-binary",
      "-inform",
      "DER",
      "-in",
      path.join(dir, "signature"),
      "-content",
      path.join(dir, "manifest.json"),
      "-CAfile",
      path.join(dir, "ca.pem"),
      "-purpose",
      "any",
      "-out",
      "/dev/null",
    ],
    { stdio: "ignore" },
  );
  verified++;
}
console.log(`signatures verified: ${verified}/${ours.outputs.length}`);
