import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request's body as text. */
export const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
  });

/** A service account's JSON for the stand-in (its token endpoint takes any signed assertion). */
export function standInServiceAccount(): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return JSON.stringify({
    type: "service_account",
    client_email: "wallet@issuer.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  });
}

/** Google Wallet's REST API as far as the drain uses it (objects and their addMessage), with Google's patch semantics: fields left out are kept, a null clears one. */
export function googleStandIn() {
  const objects = new Map<string, Record<string, unknown>>();
  const calls: { method: string; id: string }[] = [];
  const messages: { objectId: string; id: string; header: string; body: string; messageType: string }[] = [];
  let hold: ((req: IncomingMessage) => boolean) | null = null;
  const held: ServerResponse[] = [];
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    if (req.url === "/token") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "t", expires_in: 3600 }));
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const path = decodeURIComponent(req.url ?? "");
    // addMessage: recorded with its messageType; a message id the object already has is a 409, as Google answers.
    const added = /Object\/([^/]+)\/addMessage$/.exec(path);
    if (added) {
      const message = (body.message ?? {}) as { id?: string; header?: string; body?: string; messageType?: string };
      const objectId = added[1];
      if (!objects.has(objectId)) return res.writeHead(404).end("{}");
      if (messages.some((m) => m.objectId === objectId && m.id === message.id)) return res.writeHead(409).end("{}");
      messages.push({ objectId, id: String(message.id), header: String(message.header), body: String(message.body), messageType: String(message.messageType) });
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ resource: objects.get(objectId) }));
    }
    if (!/Object(\/|$)/.test(path)) return res.writeHead(200, { "content-type": "application/json" }).end(text || "{}");
    const id = req.method === "POST" ? String(body.id) : path.split("/").pop()!;
    calls.push({ method: req.method ?? "", id });
    // A call the test holds never gets its answer (the worker handling it is about to be killed).
    if (hold?.(req)) return void held.push(res);
    if (req.method === "POST") objects.set(id, body);
    else if (req.method === "PATCH") {
      const before = objects.get(id);
      if (!before) return res.writeHead(404).end("{}");
      const merged: Record<string, unknown> = { ...before };
      for (const [k, v] of Object.entries(body))
        if (v === null) delete merged[k];
        else merged[k] = v;
      objects.set(id, merged);
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(objects.get(id) ?? {}));
  });
  return {
    objects,
    calls,
    /** Every message added (Google's addMessage), in order, with its messageType (TEXT_AND_NOTIFY or TEXT). */
    messages,
    url: "",
    holdWhile(f: ((req: IncomingMessage) => boolean) | null) {
      hold = f;
      if (!f) for (const res of held.splice(0)) res.destroy();
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of held.splice(0)) res.destroy();
        server.close(() => resolve());
      }),
  };
}
