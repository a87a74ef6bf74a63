// The anchor: a bare HTTP/2 send loop, with nothing of the app — one connection, a window of streams
// kept full, the same headers and empty payload the app's APNs client sends for a Wallet update.
import { randomUUID } from "node:crypto";
import { connect, constants } from "node:http2";

export async function rawApnsLoop(url: string, tokens: string[], topic: string, window: number): Promise<{ sent: number; ok: number; seconds: number }> {
  const session = connect(url);
  session.on("error", () => undefined);
  let next = 0;
  let ok = 0;
  const started = performance.now();
  const one = (token: string) =>
    new Promise<void>((resolve) => {
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: "POST",
        [constants.HTTP2_HEADER_PATH]: `/3/device/${token}`,
        "apns-topic": topic,
        "apns-push-type": "background",
        "apns-priority": "5",
        "apns-expiration": String(Math.floor(Date.now() / 1000) + 7 * 24 * 3600),
        "apns-id": randomUUID(),
        "content-type": "application/json",
      });
      stream.on("response", (headers) => {
        if (Number(headers[constants.HTTP2_HEADER_STATUS]) === 200) ok += 1;
      });
      stream.resume();
      stream.on("close", () => resolve());
      stream.end("{}");
    });
  const lane = async () => {
    while (next < tokens.length) await one(tokens[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(window, tokens.length) }, lane));
  const seconds = (performance.now() - started) / 1000;
  await new Promise<void>((resolve) => session.close(() => resolve()));
  return { sent: tokens.length, ok, seconds };
}
