import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import JSZip from "jszip";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { saveFile } from "@/lib/files";
import { buildApplePass } from "@/lib/passes/apple";
import { loadPassAssets } from "@/lib/passes/assets";
import { PassBuildError, buildPassJson, type PassCard } from "@/lib/passes/apple/pass-json";
import { forgetAppleSigner, getAppleSigner } from "@/lib/passes/apple/signer";
import { TEMPLATE_KINDS, defaultDefinition, newField, type Kind } from "@/lib/templates/definition";
import { createTestMerchant } from "../factories";
import { makePng } from "../fixtures/png";

const card: PassCard = {
  serialNumber: "SER-0001",
  authenticationToken: randomBytes(16).toString("hex"),
  number: "2026004277",
  holderName: "Anna Petrova",
  balance: 1250,
  discount: 10,
  expiresAt: new Date("2027-12-31T23:59:59Z"),
  custom: { level: "Gold" },
  voided: false,
};
const base = { organizationName: "Кофейня", currency: "RUB", appUrl: "http://localhost:3000", locations: [] };

async function unzip(buf: Buffer) {
  const zip = await JSZip.loadAsync(buf);
  const files: Record<string, Buffer> = {};
  for (const name of Object.keys(zip.files)) if (!zip.files[name].dir) files[name] = await zip.files[name].async("nodebuffer");
  return files;
}

/** openssl checks the detached PKCS#7 signature over manifest.json against the signing chain. */
function verifySignature(files: Record<string, Buffer>, wwdrPem: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "pkpass-"));
  writeFileSync(path.join(dir, "manifest.json"), files["manifest.json"]);
  writeFileSync(path.join(dir, "signature"), files.signature);
  writeFileSync(path.join(dir, "ca.pem"), wwdrPem);
  return execFileSync(
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
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

describe("Apple .pkpass", () => {
  it.each(TEMPLATE_KINDS)("a %s pass: manifest hashes match, the signature verifies, pass.json is complete", async (kind: Kind) => {
    const { merchant } = await createTestMerchant();
    const signer = await getAppleSigner(getDb(), merchant.id);
    expect(signer.development).toBe(true);
    const definition = defaultDefinition(kind, "Кофейня");
    definition.back.terms = { en: "Terms apply", ru: "Действуют условия" };
    const pkpass = buildApplePass({ ...base, kind, definition, card }, signer, { logo: makePng(160, 50), strip: makePng(375, 123) });
    const files = await unzip(pkpass);

    const manifest = JSON.parse(files["manifest.json"].toString()) as Record<string, string>;
    const signed = Object.keys(files).filter((f) => f !== "manifest.json" && f !== "signature");
    expect(Object.keys(manifest).sort()).toEqual(signed.sort());
    for (const name of signed) expect(manifest[name]).toBe(createHash("sha1").update(files[name]).digest("hex"));
    expect(() => verifySignature(files, signer.wwdrPem)).not.toThrow();
    const tampered = { ...files, "manifest.json": Buffer.from(files["manifest.json"].toString().replace(/"[0-9a-f]{40}"/, `"${"0".repeat(40)}"`)) };
    expect(() => verifySignature(tampered, signer.wwdrPem)).toThrow();

    const pass = JSON.parse(files["pass.json"].toString());
    const style = { loyalty: "storeCard", stamp: "storeCard", gift: "storeCard", coupon: "coupon", membership: "generic", generic: "generic" }[kind];
    expect(pass).toMatchObject({
      formatVersion: 1,
      passTypeIdentifier: signer.passTypeId,
      teamIdentifier: signer.teamId,
      organizationName: "Кофейня",
      serialNumber: "SER-0001",
      authenticationToken: card.authenticationToken,
      webServiceURL: "http://localhost:3000/api/wallet",
      backgroundColor: expect.stringMatching(/^rgb\(\d+, \d+, \d+\)$/),
      voided: false,
      expirationDate: "2027-12-31T23:59:59.000Z",
      barcodes: [{ format: "PKBarcodeFormatQR", message: "2026004277", messageEncoding: "iso-8859-1", altText: "2026004277" }],
    });
    expect(pass[style].primaryFields).toHaveLength(1);
    expect(pass[style].backFields.map((f: { key: string }) => f.key)).toContain("cd_terms");
    expect(files["icon.png"]).toBeDefined();
    expect(files["logo.png"]).toBeDefined();
    expect(Boolean(files["strip.png"])).toBe(style !== "generic");
    expect(files["ru.lproj/pass.strings"].toString("utf8")).toContain("Действуют условия");
    expect(files["en.lproj/pass.strings"].toString("utf8")).toContain("Terms apply");
  });

  it("carries each uploaded image at @1x, @2x and @3x, made from the one upload, never enlarged", async () => {
    const { merchant } = await createTestMerchant();
    const signer = await getAppleSigner(getDb(), merchant.id);
    const png = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 4, background: "#336699" } })
        .png()
        .toBuffer();
    const definition = defaultDefinition("loyalty", "Кофейня");
    definition.design.logoFileId = await saveFile(getDb(), merchant.id, await png(480, 150), "image/png");
    definition.design.iconFileId = await saveFile(getDb(), merchant.id, await png(40, 40), "image/png");
    definition.design.stripFileId = await saveFile(getDb(), merchant.id, await png(1125, 369), "image/png");
    const { images } = await loadPassAssets(getDb(), merchant.id, definition);
    const files = await unzip(buildApplePass({ ...base, kind: "loyalty", definition, card }, signer, images));
    const size = async (name: string) => {
      const { width, height } = await sharp(files[name]).metadata();
      return [width, height];
    };
    expect(await size("logo.png")).toEqual([160, 50]);
    expect(await size("logo@2x.png")).toEqual([320, 100]);
    expect(await size("logo@3x.png")).toEqual([480, 150]);
    expect(await size("strip.png")).toEqual([375, 123]);
    expect(await size("strip@3x.png")).toEqual([1125, 369]);
    // A 40 px icon gives 29 at @1x and stays 40 above: an upload is never blown up.
    expect(await size("icon.png")).toEqual([29, 29]);
    expect(await size("icon@2x.png")).toEqual([40, 40]);
    expect(await size("icon@3x.png")).toEqual([40, 40]);
    // Every variant is in the signed manifest.
    const manifest = JSON.parse(files["manifest.json"].toString()) as Record<string, string>;
    expect(Object.keys(manifest)).toEqual(expect.arrayContaining(["logo@2x.png", "logo@3x.png", "icon@2x.png", "strip@2x.png"]));
  });

  it("escapes quotes and line breaks in merchant texts, so pass.strings stays valid", async () => {
    const { merchant } = await createTestMerchant();
    const signer = await getAppleSigner(getDb(), merchant.id);
    const definition = defaultDefinition("gift", "M");
    definition.back.terms = { en: 'Say "hi"\nTwo lines \\ backslash', ru: "" };
    const files = await unzip(buildApplePass({ ...base, kind: "gift", definition, card }, signer));
    expect(files["en.lproj/pass.strings"].toString()).toContain('"cd_terms.value" = "Say \\"hi\\"\\nTwo lines \\\\ backslash";');
    expect(() => verifySignature(files, signer.wwdrPem)).not.toThrow();
  });

  it("keeps one development certificate per merchant, sealed at rest", async () => {
    const { merchant } = await createTestMerchant();
    const first = await getAppleSigner(getDb(), merchant.id);
    forgetAppleSigner(merchant.id);
    const again = await getAppleSigner(getDb(), merchant.id);
    expect(again.signerCertPem).toBe(first.signerCertPem);
    expect(first.passTypeId).toMatch(/^pass\.dev\.carddesk\./);
  });

  it("writes card values, the EAN-13 fallback and locations", () => {
    const definition = defaultDefinition("loyalty", "M");
    definition.barcode = { format: "ean13", source: "serialNumber", altText: "none" };
    definition.fields.back = [newField("level", "custom", { en: "Level", ru: "Уровень" })];
    definition.fields.back[0].customKey = "level";
    const { passJson, strings } = buildPassJson({
      ...base,
      kind: "loyalty",
      definition,
      card,
      passTypeId: "pass.x",
      teamId: "T",
      locations: [{ latitude: 55.75, longitude: 37.61, relevantText: { en: "Near us", ru: "" } }],
    });
    const style = passJson.storeCard as Record<string, Record<string, unknown>[]>;
    expect(style.primaryFields[0]).toMatchObject({ key: "points", label: "points.label", value: 1250, changeMessage: "points.change" });
    expect(style.backFields[0]).toMatchObject({ key: "level", value: "Gold" });
    expect(passJson.barcodes).toEqual([
      { format: "PKBarcodeFormatEAN13", message: "SER-0001", messageEncoding: "iso-8859-1" },
      { format: "PKBarcodeFormatCode128", message: "SER-0001", messageEncoding: "iso-8859-1" },
    ]);
    expect(passJson.locations).toEqual([{ latitude: 55.75, longitude: 37.61, relevantText: "cd_location0" }]);
    expect(strings.ru.cd_location0).toBe("Near us");
    expect(strings.ru["points.change"]).toContain("%@");
  });

  it("shows a gift certificate's balance as money and escapes link markup", () => {
    const definition = defaultDefinition("gift", "M");
    definition.back.links = [{ label: { en: "Site", ru: "" }, url: 'https://a.com/"><b>x</b>' }];
    const { passJson } = buildPassJson({ ...base, kind: "gift", definition, card, passTypeId: "p", teamId: "t", locations: [] });
    const style = passJson.storeCard as Record<string, Record<string, unknown>[]>;
    expect(style.primaryFields[0]).toMatchObject({ value: 12.5, currencyCode: "RUB" });
    const link = style.backFields.find((f) => f.key === "cd_link0")!;
    expect(link.attributedValue).not.toContain("<b>");
    expect(String(link.attributedValue)).toMatch(/^<a href="https:\/\/a\.com\/[^"<>]*">/);
  });

  it("refuses what Apple would: more than 10 locations, http outside localhost, a bad colour", () => {
    const definition = defaultDefinition("loyalty", "M");
    const input = { ...base, kind: "loyalty" as const, definition, card, passTypeId: "p", teamId: "t" };
    const place = { latitude: 1, longitude: 1, relevantText: { en: "", ru: "" } };
    expect(() => buildPassJson({ ...input, locations: Array(11).fill(place) })).toThrow(PassBuildError);
    expect(() => buildPassJson({ ...input, appUrl: "http://cards.example.com" })).toThrow(
      expect.objectContaining({ detail: expect.stringContaining("https") }),
    );
    expect(buildPassJson({ ...input, appUrl: "https://cards.example.com/" }).passJson.webServiceURL).toBe("https://cards.example.com/api/wallet");
    expect(() => buildPassJson({ ...input, definition: { ...definition, design: { ...definition.design, labelColor: "blue" } } })).toThrow(
      expect.objectContaining({ detail: expect.stringContaining("colour") }),
    );
  });
});
