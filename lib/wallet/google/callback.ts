import "server-only";
import type { Db } from "@/db";
import {
  CallbackVerificationError,
  fetchGoogleRootKeys,
  peekCallbackMessage,
  verifyGoogleCallback,
  type GoogleRootKey,
} from "@/lib/wallet/google/callback-signature";
import { getEnv } from "@/lib/env";
import { getGoogleIssuer } from "@/lib/wallet/google/account";
import { findPassIdentity, registerDevice, unregisterDevice } from "../service";

export type CallbackOutcome = "saved" | "deleted" | "unchanged" | "unknown" | "refused" | "malformed";

/**
 * Google's save / delete callback: find the card its object names, verify the signature against
 * Google's root keys with the card's merchant's issuer id as recipient, then record the card as held
 * by (or gone from) an Android wallet. Nothing is read from the message before it is verified but
 * where to look for the issuer.
 */
export async function handleGoogleCallback(db: Db, body: string, options: { rootKeys?: GoogleRootKey[]; now?: Date } = {}): Promise<CallbackOutcome> {
  let hint: ReturnType<typeof peekCallbackMessage>;
  try {
    hint = peekCallbackMessage(body);
  } catch {
    return "malformed";
  }
  const serial = hint.objectId.startsWith(`${hint.issuerId}.`) ? hint.objectId.slice(hint.issuerId.length + 1) : null;
  const card = serial ? await findPassIdentity(db, serial) : null;
  if (!card) return "unknown";
  const issuer = await getGoogleIssuer(db, card.merchantId);
  if (issuer.development || issuer.issuerId !== hint.issuerId) return "unknown";

  let message;
  try {
    const rootKeys = options.rootKeys ?? (await fetchGoogleRootKeys(getEnv().GOOGLE_WALLET_ROOT_KEYS_URL));
    message = verifyGoogleCallback(body, { recipientId: issuer.issuerId, rootKeys, now: options.now });
  } catch (err) {
    if (err instanceof CallbackVerificationError) return err.reason === "malformed" ? "malformed" : "refused";
    throw err;
  }
  // Google does not name devices: the saved object itself stands for the Android wallet holding it.
  const device = { platform: "google" as const, deviceLibraryId: message.objectId, passTypeId: message.classId };
  if (message.eventType === "save")
    return (await registerDevice(db, card, { ...device, pushToken: null, model: "Android" })) === "created" ? "saved" : "unchanged";
  return (await unregisterDevice(db, card, device)) ? "deleted" : "unchanged";
}
