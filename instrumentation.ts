export async function register() {
  // Build-time page collection must not open the embedded database from several processes.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  // `npm start` has booted already (scripts/server.ts); `next dev` / `next start` boot here. Only the
  // first attempt is awaited: a database that is not there yet must not stop the server starting.
  const { bootFirstAttempt } = await import("./lib/boot");
  await bootFirstAttempt();
}
