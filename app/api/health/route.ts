// GET /api/health — liveness and readiness for load balancers: 200 when the database and queue answer
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  const ok = health.db === "ok" && health.queue === "ok";
  return Response.json(health, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
