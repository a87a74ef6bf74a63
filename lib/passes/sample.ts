import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/db";
import type { Merchant, TemplateKind } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { sampleBarcodeValue, type TemplateDefinition } from "@/lib/templates/definition";
import { buildApplePass } from "./apple";
import type { PassCard } from "./apple/pass-json";
import { getAppleSigner } from "./apple/signer";
import { loadPassAssets } from "./assets";
import { saveToWalletUrl } from "@/lib/wallet/google";
import { getGoogleIssuer } from "@/lib/wallet/google/account";
import { cardToObject, templateToClass } from "@/lib/wallet/google/mapping";

function sampleCard(definition: TemplateDefinition): PassCard {
  return {
    serialNumber: `sample-${randomBytes(6).toString("hex")}`,
    authenticationToken: randomBytes(16).toString("hex"),
    number: sampleBarcodeValue(definition.barcode.format, "2026004277"),
    holderName: "Anna Petrova",
    balance: 1250,
    discount: 10,
    expiresAt: definition.expiry.mode === "afterIssue" ? new Date(Date.now() + definition.expiry.days * 86_400_000) : null,
    custom: {},
    voided: false,
  };
}

/** A pass of the template with sample values, for trying the design on a device before issuing cards. */
export async function buildSamplePass(db: Db, merchant: Merchant, kind: TemplateKind, definition: TemplateDefinition): Promise<Buffer> {
  const [signer, assets] = await Promise.all([getAppleSigner(db, merchant.id), loadPassAssets(db, merchant.id, definition)]);
  const card = sampleCard(definition);
  return buildApplePass(
    { kind, definition, card, organizationName: merchant.name, currency: merchant.currency, appUrl: getEnv().APP_URL, locations: assets.locations },
    signer,
    assets.images,
  );
}

/** The "Save to Google Wallet" link for a sample card of the template. */
export async function buildGoogleSampleUrl(
  db: Db,
  merchant: Merchant,
  template: { id: string; kind: TemplateKind },
  definition: TemplateDefinition,
): Promise<string> {
  const [issuer, assets] = await Promise.all([getGoogleIssuer(db, merchant.id), loadPassAssets(db, merchant.id, definition)]);
  const appUrl = getEnv().APP_URL;
  const ctx = {
    issuerId: issuer.issuerId,
    templateId: template.id,
    merchantName: merchant.name,
    currency: merchant.currency,
    appUrl,
    logoFileId: merchant.logoFileId,
    heroFileId: null,
    locations: assets.locations,
  };
  const card = sampleCard(definition);
  return saveToWalletUrl(issuer.account, templateToClass(template.kind, definition, ctx), cardToObject(template.kind, definition, card, ctx), [
    new URL(appUrl).origin,
  ]);
}
