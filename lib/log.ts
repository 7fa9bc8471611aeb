import { getEnv } from "./env";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  const env = getEnv();
  if (order[level] < order[env.logLevel]) return;
  const stream = level === "error" || level === "warn" ? process.stderr : process.stdout;
  if (env.isProduction) {
    stream.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })}\n`);
    return;
  }
  const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
  stream.write(`${level === "info" ? "" : `[${level}] `}${message}${extra}\n`);
}

/** Structured in production (one JSON object a line), readable in development. */
export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

/** Turns anything thrown into loggable fields without leaking secrets from connection strings. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    // Drizzle wraps the driver's error ("Failed query: …"): the cause says what PostgreSQL refused.
    const cause = error.cause instanceof Error ? error.cause : undefined;
    const causeCode = cause ? (cause as Error & { code?: unknown }).code : undefined;
    return {
      error: error.message,
      name: error.name,
      ...(code === undefined ? {} : { code }),
      ...(cause ? { cause: cause.message, ...(causeCode === undefined ? {} : { causeCode }) } : {}),
      stack: error.stack,
    };
  }
  return { error: String(error) };
}
