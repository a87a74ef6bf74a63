import "server-only";
import { signJwt } from "./jwt";
import type { GoogleClass, GoogleObject } from "./mapping";

export type ServiceAccount = { client_email: string; private_key: string };

export const SAVE_URL = "https://pay.google.com/gp/v/save/";

/**
 * The "Save to Google Wallet" link: an RS256 JWT from the issuer's service account carrying the
 * card's object and its class, so the first save works even before the class is synced.
 */
export function saveToWalletUrl(account: ServiceAccount, cls: GoogleClass, object: GoogleObject, origins: string[], now = new Date()): string {
  const claims = {
    iss: account.client_email,
    aud: "google",
    typ: "savetowallet",
    iat: Math.floor(now.getTime() / 1000),
    origins,
    payload: { [`${cls.type.replace("Class", "")}Classes`]: [cls.body], [`${object.type.replace("Object", "")}Objects`]: [object.body] },
  };
  return SAVE_URL + signJwt(claims, account.private_key);
}
