import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { headers: Record<string, string>; body: string; path: string };
type Reply = (req: Received, res: http.ServerResponse) => void;

/**
 * A loopback HTTP server standing in for a merchant's CRM: it keeps every request it gets and answers
 * as the test says (200 by default). `reply` can be changed between sends.
 */
export async function startReceiver(reply: Reply = (_r, res) => res.end("ok")) {
  const received: Received[] = [];
  const state = { reply };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: Received = {
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString("utf8"),
        path: req.url ?? "/",
      };
      received.push(entry);
      state.reply(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    port,
    url: `http://127.0.0.1:${port}/hook`,
    setReply: (r: Reply) => (state.reply = r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
