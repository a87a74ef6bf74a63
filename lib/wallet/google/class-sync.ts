import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { merchants } from "@/db/schema";
import { getWalletClient } from "@/lib/wallet/google/client";
import { getEnv } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { getTemplateOrThrow } from "@/lib/templates";
import { loadPassAssets } from "@/lib/passes/assets";
import { getGoogleIssuer } from "./account";
import { templateToClass } from "./mapping";

/**
 * Pushes a template's current version to Google as its class (insert or patch). Merchants without
 * their own service account are skipped: Google would refuse the development key.
 */
export async function syncTemplateClass(
  db: Db,
  merchantId: string,
  templateId: string,
  endpoints = { baseUrl: getEnv().GOOGLE_WALLET_API_URL, tokenUrl: getEnv().GOOGLE_OAUTH_TOKEN_URL },
): Promise<"inserted" | "patched" | "skipped"> {
  const issuer = await getGoogleIssuer(db, merchantId);
  if (issuer.development) return "skipped";
  const [merchant] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!merchant) throw new NotFoundError();
  const { template, version } = await getTemplateOrThrow(db, merchantId, templateId);
  const assets = await loadPassAssets(db, merchantId, version.definition);
  const cls = templateToClass(template.kind, version.definition, {
    issuerId: issuer.issuerId,
    templateId,
    merchantName: merchant.name,
    currency: merchant.currency,
    appUrl: getEnv().APP_URL,
    logoFileId: merchant.logoFileId,
    heroFileId: null,
    locations: assets.locations,
  });
  return getWalletClient({ account: issuer.account, ...endpoints }).syncClass(cls);
}
