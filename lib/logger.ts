/** Structured one-line JSON logs; the only place the app writes to the console. */
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  const min = (process.env.LOG_LEVEL as Level | undefined) ?? "info";
  if (order[level] < (order[min] ?? 20)) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => write("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => write("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => write("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => write("error", m, f),
};

/**
 * An error as log fields. pg-boss emits a worker's or a queue's error as a plain object (the error
 * spread, with its queue and worker), which String() would print as "[object Object]".
 */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err === null || typeof err !== "object") return { error: String(err) };
  const e = err as { message?: unknown; code?: unknown; queue?: unknown; worker?: unknown };
  return {
    error: typeof e.message === "string" ? e.message : String(err),
    ...(typeof e.code === "string" && { code: e.code }),
    ...(typeof e.queue === "string" && { queue: e.queue }),
    ...(typeof e.worker === "string" && { worker: e.worker }),
  };
}
