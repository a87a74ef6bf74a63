// The APNs stand-in the tests use (tests/support/apns-stand-in.ts), in a process of its own so that
// neither sender shares its CPU with it. Driven over IPC by bench/push.ts: "start" opens a fresh one
// (its counters start at zero) and answers its URL; "reset" starts its counts afresh (after a
// warm-up); "progress" answers how many pushes arrived and when the last did (cheap: asked five times
// a second while a sender runs); "stats" answers all it received (counted over every push: asked once
// a sender is done); "stop" closes it.
import { startApnsStandIn, type ApnsStandIn } from "../../tests/support/apns-stand-in";

export type ApnsServerStats = {
  received: number;
  distinctTokens: number;
  ok: number;
  sessions: number;
  streams: number;
  peakStreams: number;
  /** When the last push arrived (Date.now()). */
  lastAt: number;
};

export type ApnsServerProgress = { received: number; lastAt: number };

let standIn: ApnsStandIn | null = null;

process.on("message", async (message: { op: "start" | "reset" | "progress" | "stats" | "stop" }) => {
  if (message.op === "start") {
    await standIn?.close();
    standIn = await startApnsStandIn();
    process.send!({ url: standIn.url });
  } else if (message.op === "reset" && standIn) {
    standIn.resetCounts();
    process.send!({ reset: true });
  } else if (message.op === "progress" && standIn) {
    const progress: ApnsServerProgress = { received: standIn.received.length, lastAt: standIn.lastReceivedAt };
    process.send!(progress);
  } else if (message.op === "stats" && standIn) {
    const received = standIn.received;
    const stats: ApnsServerStats = {
      received: received.length,
      distinctTokens: new Set(received.map((r) => r.token)).size,
      ok: received.filter((r) => r.status === 200).length,
      sessions: standIn.sessions,
      streams: standIn.streams,
      peakStreams: standIn.peakStreams,
      lastAt: standIn.lastReceivedAt,
    };
    process.send!(stats);
  } else if (message.op === "stop") {
    await standIn?.close();
    process.exit(0);
  }
});
process.send!({ ready: true });
