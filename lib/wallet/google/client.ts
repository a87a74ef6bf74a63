import "server-only";
import { createHash } from "node:crypto";
import { signJwt } from "@/lib/wallet/google/jwt";
import type { ServiceAccount } from "@/lib/wallet/google";
import { objectPatch, type GoogleClass, type GoogleObject } from "@/lib/wallet/google/mapping";

export const WALLET_SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer";

export type WalletClientOptions = {
  account: ServiceAccount;
  /** Wallet REST base, e.g. https://walletobjects.googleapis.com (tests point it at a local server). */
  baseUrl: string;
  tokenUrl: string;
  fetch?: typeof fetch;
};

export class WalletApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "WalletApiError";
  }
}

/**
 * How long one call to Google may take. Well under the wallet drain's lease (lib/wallet/drain), so a
 * stalled call ends as a retry instead of holding its batch until the drain takes it over.
 */
const GOOGLE_TIMEOUT_MS = 30_000;

/** A small Google Wallet REST client: service-account token, then get / insert / patch of classes. */
export function createWalletClient(options: WalletClientOptions) {
  const call = options.fetch ?? fetch;
  let token: { value: string; expiresAt: number } | null = null;

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt > Date.now() + 60_000) return token.value;
    const now = Math.floor(Date.now() / 1000);
    const assertion = signJwt(
      { iss: options.account.client_email, scope: WALLET_SCOPE, aud: options.tokenUrl, iat: now, exp: now + 3600 },
      options.account.private_key,
    );
    const response = await call(options.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      signal: AbortSignal.timeout(GOOGLE_TIMEOUT_MS),
    });
    if (!response.ok) throw new WalletApiError(`token request failed: ${response.status} ${await response.text()}`, response.status);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return token.value;
  }

  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    return call(`${options.baseUrl.replace(/\/$/, "")}/walletobjects/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${await accessToken()}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(GOOGLE_TIMEOUT_MS),
    });
  }

  /** Makes Google's copy of a class match ours: insert when it does not exist yet, else patch. */
  async function syncClass(cls: GoogleClass): Promise<"inserted" | "patched"> {
    const id = String(cls.body.id);
    const existing = await request("GET", `${cls.type}/${encodeURIComponent(id)}`);
    if (existing.status === 404) {
      const inserted = await request("POST", cls.type, cls.body);
      if (inserted.ok) return "inserted";
      // 409: another sync inserted it in the meantime, so this one patches instead.
      if (inserted.status !== 409) throw new WalletApiError(`insert ${cls.type} failed: ${inserted.status} ${await inserted.text()}`, inserted.status);
    } else if (!existing.ok) {
      throw new WalletApiError(`get ${cls.type} failed: ${existing.status} ${await existing.text()}`, existing.status);
    }
    const patched = await request("PATCH", `${cls.type}/${encodeURIComponent(id)}`, cls.body);
    if (!patched.ok) throw new WalletApiError(`patch ${cls.type} failed: ${patched.status} ${await patched.text()}`, patched.status);
    return "patched";
  }

  /**
   * Makes Google's copy of a card's object match ours: patch, or insert when Google has none yet
   * (the first save through a link creates it on Google's side, but a card can change before that).
   */
  async function syncObject(object: GoogleObject): Promise<"inserted" | "patched"> {
    const id = String(object.body.id);
    const patched = await request("PATCH", `${object.type}/${encodeURIComponent(id)}`, objectPatch(object));
    if (patched.ok) return "patched";
    if (patched.status !== 404) throw new WalletApiError(`patch ${object.type} failed: ${patched.status} ${await patched.text()}`, patched.status);
    const inserted = await request("POST", object.type, object.body);
    if (inserted.ok) return "inserted";
    throw new WalletApiError(`insert ${object.type} failed: ${inserted.status} ${await inserted.text()}`, inserted.status);
  }

  /**
   * Adds a message to a saved object (Google Wallet's `addMessage`): `TEXT_AND_NOTIFY` alerts the
   * phone (Google allows three such per pass in 24 hours), `TEXT` only shows it on the pass.
   */
  async function addMessage(objectType: string, objectId: string, message: { id: string; header: string; body: string; notify: boolean }): Promise<void> {
    const res = await request("POST", `${objectType}/${encodeURIComponent(objectId)}/addMessage`, {
      message: { id: message.id, header: message.header, body: message.body, messageType: message.notify ? "TEXT_AND_NOTIFY" : "TEXT" },
    });
    if (!res.ok) throw new WalletApiError(`addMessage ${objectType} failed: ${res.status} ${await res.text()}`, res.status);
  }

  return { syncClass, syncObject, addMessage, accessToken };
}

export type WalletClient = ReturnType<typeof createWalletClient>;

/** Clients kept per issuer account and endpoint, like the APNs sessions: one OAuth token serves every update. */
const clients = new Map<string, WalletClient>();
const MAX_CLIENTS = 500;

/**
 * The client of one issuer account, made once and kept, so its access token (an hour long) is fetched
 * once rather than for every card update. A key that changes (a new service account) makes a new one.
 */
export function getWalletClient(options: Omit<WalletClientOptions, "fetch">): WalletClient {
  const key = createHash("sha256")
    .update([options.account.client_email, options.account.private_key, options.baseUrl, options.tokenUrl].join("\n"))
    .digest("hex");
  let client = clients.get(key);
  if (client) {
    // Most recently used last, so the oldest is the one let go.
    clients.delete(key);
    clients.set(key, client);
    return client;
  }
  client = createWalletClient(options);
  clients.set(key, client);
  if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value!);
  return client;
}
