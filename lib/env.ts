import path from "node:path";
import { z } from "zod";

/**
 * The only reader of process.env. Every variable Parley understands is declared here and
 * documented in .env.example; an invalid value stops start-up with one line naming it.
 */

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/.+/.test(value), {
  message: "must be a postgres:// or postgresql:// connection URL",
});

const envSchema = z
  .object({
    NODE_ENV: z.preprocess(
      emptyAsUndefined,
      z.enum(["development", "production", "test"]).default("development"),
    ),
    PORT: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ message: "must be a port number" })
        .int("must be a whole number")
        .min(1, "must be between 1 and 65535")
        .max(65535, "must be between 1 and 65535")
        .default(3000),
    ),
    HOST: z.preprocess(emptyAsUndefined, z.string().default("0.0.0.0")),
    APP_URL: z.preprocess(emptyAsUndefined, z.url({ message: "must be an absolute URL" }).optional()),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./.data")),
    DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl.optional()),
    DATABASE_POOL_MAX: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ message: "must be a number" })
        .int()
        .min(2, "must be at least 2")
        .max(200)
        .default(10),
    ),
    REDIS_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine((value) => /^rediss?:\/\/.+/.test(value), { message: "must be a redis:// URL" })
        .optional(),
    ),
    PARLEY_WORKERS: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).default("on")),
    PARLEY_RETENTION_INTERVAL_MINUTES: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ message: "must be a whole number of minutes" })
        .int("must be a whole number of minutes")
        .min(1, "must be at least 1")
        .max(10_080, "must be at most 10080 (a week)")
        .default(1_440),
    ),
    PARLEY_SEED: z.preprocess(emptyAsUndefined, z.enum(["demo", "none"]).optional()),
    WHATSAPP_MODE: z.preprocess(emptyAsUndefined, z.enum(["simulator", "cloud"]).optional()),
    WHATSAPP_ACCESS_TOKEN: optionalString,
    WHATSAPP_APP_SECRET: optionalString,
    WHATSAPP_VERIFY_TOKEN: optionalString,
    WHATSAPP_API_BASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .url({ message: "must be an absolute http(s) URL" })
        .refine((value) => /^https?:\/\//.test(value), { message: "must be an absolute http(s) URL" })
        .optional(),
    ),
    WHATSAPP_API_VERSION: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^v\d+\.\d+$/, "must look like v23.0")
        .default("v23.0"),
    ),
    WHATSAPP_SIMULATOR_ACCESS: z.preprocess(emptyAsUndefined, z.enum(["admins", "anyone"]).optional()),
    WHATSAPP_API_TIMEOUT_MS: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ message: "must be a number of milliseconds" })
        .int("must be a whole number of milliseconds")
        .min(100, "must be at least 100")
        .max(120_000, "must be at most 120000")
        .default(15_000),
    ),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["debug", "info", "warn", "error"]).default("info")),
    AUTH_SECRET: z.preprocess(
      emptyAsUndefined,
      z.string().min(32, "must be at least 32 characters (e.g. openssl rand -base64 32)").optional(),
    ),
    PARLEY_ENCRYPTION_KEY: z.preprocess(
      emptyAsUndefined,
      z.string().min(32, "must be at least 32 characters (e.g. openssl rand -base64 32)").optional(),
    ),
    TRUST_PROXY: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).default("off")),
  })
  .superRefine((raw, context) => {
    if (raw.WHATSAPP_MODE === "cloud" && !raw.WHATSAPP_ACCESS_TOKEN) {
      context.addIssue({
        code: "custom",
        path: ["WHATSAPP_ACCESS_TOKEN"],
        message: "is required when WHATSAPP_MODE is cloud",
      });
    }
  })
  .transform((raw) => {
    const isProduction = raw.NODE_ENV === "production";
    const appUrl = (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, "");
    const whatsappMode = raw.WHATSAPP_MODE ?? (raw.WHATSAPP_ACCESS_TOKEN ? "cloud" : "simulator");
    return {
      nodeEnv: raw.NODE_ENV,
      isProduction,
      port: raw.PORT,
      host: raw.HOST,
      appUrl,
      dataDir: path.resolve(raw.DATA_DIR),
      databaseUrl: raw.DATABASE_URL,
      databasePoolMax: raw.DATABASE_POOL_MAX,
      redisUrl: raw.REDIS_URL,
      workersEnabled: raw.PARLEY_WORKERS === "on",
      /** How often the retention sweeper runs (default daily). */
      retentionIntervalMinutes: raw.PARLEY_RETENTION_INTERVAL_MINUTES,
      seed: raw.PARLEY_SEED ?? (isProduction ? "none" : "demo"),
      whatsapp: {
        mode: whatsappMode,
        accessToken: raw.WHATSAPP_ACCESS_TOKEN,
        /** Resolve through lib/whatsapp/config.ts: generated locally in development, required in production. */
        appSecret: raw.WHATSAPP_APP_SECRET,
        verifyToken: raw.WHATSAPP_VERIFY_TOKEN,
        /** In simulator mode the app's own Graph API stand-in; otherwise Meta's Graph API. */
        apiBaseUrl: (
          raw.WHATSAPP_API_BASE_URL ??
          (whatsappMode === "simulator" ? `${appUrl}/api/simulator/graph` : "https://graph.facebook.com")
        ).replace(/\/+$/, ""),
        apiVersion: raw.WHATSAPP_API_VERSION,
        /** How long a Graph API call may take before it is given up and retried. */
        apiTimeoutMs: raw.WHATSAPP_API_TIMEOUT_MS,
        /** Production runs the simulator only when WHATSAPP_MODE=simulator says so explicitly. */
        simulatorEnabled:
          whatsappMode === "simulator" && (!isProduction || raw.WHATSAPP_MODE === "simulator"),
        /** Who may open the simulator: admins, or anyone (development, or a demo with made-up data). */
        simulatorAccess: raw.WHATSAPP_SIMULATOR_ACCESS ?? (isProduction ? "admins" : "anyone"),
      },
      logLevel: raw.LOG_LEVEL,
      /** Resolve through lib/secrets.ts: generated locally in development, required in production. */
      authSecret: raw.AUTH_SECRET,
      encryptionKey: raw.PARLEY_ENCRYPTION_KEY,
      /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
      trustProxy: raw.TRUST_PROXY === "on",
    } as const;
  });

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join("; ")}`);
    this.name = "EnvError";
  }
}

/** Pure: validates a set of variables. Throws EnvError with one readable line per bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "environment";
    const given = issue.path.length > 0 ? source[String(issue.path[0])] : undefined;
    return given === undefined ? `${name} ${issue.message}` : `${name} ${issue.message} (got "${given}")`;
  });
  throw new EnvError(problems);
}

let cached: Env | undefined;

/** The validated environment of this process, read once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
