import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { cards, merchants, type Card, type Merchant, type TemplateKind } from "@/db/schema";
import { findCardDetail } from "@/db/queries/cards";
import { getEnv } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { buildApplePass } from "@/lib/passes/apple";
import type { PassCard } from "@/lib/passes/apple/pass-json";
import { getAppleSigner, type AppleSigner } from "@/lib/passes/apple/signer";
import { loadPassAssets } from "@/lib/passes/assets";
import { saveToWalletUrl } from "@/lib/wallet/google";
import { getGoogleIssuer, type GoogleIssuer } from "@/lib/wallet/google/account";
import { cardToObject, templateToClass, type GoogleContext } from "@/lib/wallet/google/mapping";
import { discountOf, levelOf } from "@/lib/ledger/levels";
import { stampsOf } from "@/lib/ledger/stamps";
import { programOf, stampProgramOf, type TemplateDefinition } from "@/lib/templates/definition";
import { definitionAsShown } from "@/lib/push-events";
import { googleRotatingBarcode, rotatingPayload, windowOf } from "@/lib/till/qr";
import { PassCache } from "./pass-cache";

/** Everything a card's passes are drawn from. */
export type CardForPass = {
  card: Card;
  holderName: string;
  customerPhone: string | null;
  customerEmail: string | null;
  kind: TemplateKind;
  templateId: string;
  definition: TemplateDefinition;
  merchant: Merchant;
};

export async function loadCardForPass(db: Db, merchantId: string, cardId: string): Promise<CardForPass> {
  const [detail, [merchant]] = await Promise.all([
    findCardDetail(db, merchantId, { id: cardId }),
    db.select().from(merchants).where(eq(merchants.id, merchantId)),
  ]);
  if (!detail || !merchant) throw new NotFoundError();
  // A running dynamic promotion is laid over the template's current version (lib/push-events/overlay).
  const definition = await definitionAsShown(db, merchantId, detail.card, detail.definition);
  return {
    card: detail.card,
    holderName: detail.customer?.name ?? "",
    customerPhone: detail.customer?.phone ?? null,
    customerEmail: detail.customer?.email ?? null,
    kind: detail.template.kind,
    templateId: detail.template.id,
    definition,
    merchant,
  };
}

/** A card's own values as both wallets show them; a blocked or deactivated card is a voided pass. */
export function toPassCard(card: Card, holderName: string, template?: { kind: TemplateKind; definition: TemplateDefinition }, now = new Date()): PassCard {
  const program = template ? programOf(template.kind, template.definition) : null;
  const level = levelOf(program, card);
  const stampProgram = template ? stampProgramOf(template.kind, template.definition) : null;
  const stamps = stampProgram && stampsOf(stampProgram, card.balance);
  return {
    serialNumber: card.serialNumber,
    authenticationToken: card.authenticationToken,
    number: card.number,
    holderName,
    balance: card.balance,
    discount: discountOf(program, card),
    expiresAt: card.expiresAt,
    custom: card.custom,
    voided: card.blockReason !== null,
    level: level?.name ?? null,
    nextLevelIn: level?.nextLevelIn ?? null,
    // A stamp card's balance is the stamps it holds: the row shows those towards the next reward, whole rewards apart.
    stamps: stamps?.collected ?? null,
    rewards: stamps?.rewards ?? null,
    news: card.news,
    rotatingCode: template?.definition.rotatingQr ? rotatingPayload(card, now) : null,
    googleRotatingBarcode: template?.definition.rotatingQr ? googleRotatingBarcode(card) : null,
  };
}

/** A pass of a rotating-QR template differs by day even when its card has not changed: the day is part of its cache key. */
const dayOf = (definition: TemplateDefinition) => (definition.rotatingQr ? `:${windowOf(new Date())}` : "");

const signerIds = new WeakMap<AppleSigner, string>();
/** A short fingerprint of the signing certificate: a new upload means passes built before it are stale. */
function signerId(signer: AppleSigner): string {
  let id = signerIds.get(signer);
  if (!id) signerIds.set(signer, (id = createHash("sha256").update(signer.signerCertPem).digest("hex").slice(0, 16)));
  return id;
}

const holder = globalThis as unknown as { __carddeskPassCache?: PassCache };
function passCache(): PassCache {
  return (holder.__carddeskPassCache ??= new PassCache(getEnv().PASS_CACHE_MB * 1024 * 1024));
}

/**
 * The card's signed .pkpass as it is now. Built once per update tag and signing certificate; asking
 * again for an unchanged card returns the kept bytes.
 */
export async function buildCardPass(db: Db, data: CardForPass): Promise<Buffer>;
export async function buildCardPass(db: Db, data: CardForPass, options: { report: true }): Promise<{ pkpass: Buffer; cached: boolean }>;
export async function buildCardPass(db: Db, data: CardForPass, options?: { report: true }): Promise<Buffer | { pkpass: Buffer; cached: boolean }> {
  const signer = await getAppleSigner(db, data.merchant.id);
  const key = `${data.card.id}:${data.card.updateTag}:${signerId(signer)}${dayOf(data.definition)}`;
  const cache = passCache();
  const hit = cache.get(key);
  if (hit) return options?.report ? { pkpass: hit, cached: true } : hit;
  const assets = await loadPassAssets(db, data.merchant.id, data.definition);
  const pkpass = buildApplePass(
    {
      kind: data.kind,
      definition: data.definition,
      card: toPassCard(data.card, data.holderName, data),
      organizationName: data.merchant.name,
      currency: data.merchant.currency,
      appUrl: getEnv().APP_URL,
      locations: assets.locations,
    },
    signer,
    assets.images,
  );
  cache.forgetCard(data.card.id);
  cache.set(key, pkpass);
  return options?.report ? { pkpass, cached: false } : pkpass;
}

/**
 * The kept pass of a card the caller has already identified (id and update tag), or null when it must
 * be built: an unchanged card costs the signer's read instead of loading the card, its holder,
 * template and merchant.
 */
export async function keptCardPass(db: Db, merchantId: string, card: { id: string; updateTag: number }): Promise<Buffer | null> {
  const signer = await getAppleSigner(db, merchantId);
  return passCache().get(`${card.id}:${card.updateTag}:${signerId(signer)}`) ?? null;
}

/** The context Google's class and object are drawn in. */
export async function googleContext(db: Db, data: Pick<CardForPass, "merchant" | "templateId" | "definition">, issuer: GoogleIssuer): Promise<GoogleContext> {
  const assets = await loadPassAssets(db, data.merchant.id, data.definition);
  return {
    issuerId: issuer.issuerId,
    templateId: data.templateId,
    merchantName: data.merchant.name,
    currency: data.merchant.currency,
    appUrl: getEnv().APP_URL,
    logoFileId: data.merchant.logoFileId,
    heroFileId: null,
    locations: assets.locations,
  };
}

export async function cardGoogleObject(db: Db, data: CardForPass, issuer: GoogleIssuer) {
  const ctx = await googleContext(db, data, issuer);
  return { ctx, object: cardToObject(data.kind, data.definition, toPassCard(data.card, data.holderName, data), ctx) };
}

/** The "Save to Google Wallet" link of a card, carrying its object and class. */
export async function cardSaveToGoogleUrl(db: Db, data: CardForPass): Promise<string> {
  const issuer = await getGoogleIssuer(db, data.merchant.id);
  const { ctx, object } = await cardGoogleObject(db, data, issuer);
  return saveToWalletUrl(issuer.account, templateToClass(data.kind, data.definition, ctx), object, [new URL(ctx.appUrl).origin]);
}

/** Public links of a card: the .pkpass, the Google save redirect and the card's page, by its unguessable link token. */
export function cardLinks(card: Pick<Card, "linkToken">) {
  const base = getEnv().APP_URL.replace(/\/$/, "");
  return { pass: `${base}/c/${card.linkToken}/pass`, google: `${base}/c/${card.linkToken}/google`, page: `${base}/c/${card.linkToken}` };
}

/** A card by its public link token (the token is the credential: long, random, never listed). */
export async function loadCardByLinkToken(db: Db, token: string): Promise<CardForPass | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const [row] = await db.select({ id: cards.id, merchantId: cards.merchantId }).from(cards).where(eq(cards.linkToken, token));
  return row ? loadCardForPass(db, row.merchantId, row.id) : null;
}
