import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request's body as text. */
export const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
  });

/** Google Wallet's REST API as far as the drain uses it, with Google's patch semantics: fields left out are kept, a null clears one. */
export function googleStandIn() {
  const objects = new Map<string, Record<string, unknown>>();
  const calls: { method: string; id: string }[] = [];
  let hold: ((req: IncomingMessage) => boolean) | null = null;
  const held: ServerResponse[] = [];
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    if (req.url === "/token") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "t", expires_in: 3600 }));
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const path = decodeURIComponent(req.url ?? "");
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
