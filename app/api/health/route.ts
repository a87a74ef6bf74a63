// GET /api/health — liveness and readiness for load balancers: 200 when the database and queue answer
import { bootingHealth, bootPending } from "@/lib/boot";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const headers = { "cache-control": "no-store" };
  // Until migrations are in, the database may answer yet not be usable: not ready, and why.
  if (bootPending()) return Response.json(bootingHealth(), { status: 503, headers });
  const health = await checkHealth();
  const ok = health.db === "ok" && health.queue === "ok";
  return Response.json(health, { status: ok ? 200 : 503, headers });
}
