import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("starts a development instance on PGlite and the simulator with nothing set", () => {
    const env = parseEnv({});
    expect(env.port).toBe(3000);
    expect(env.nodeEnv).toBe("development");
    expect(env.dataDir).toBe(path.resolve("./.data"));
    expect(env.databaseUrl).toBeUndefined();
    expect(env.whatsapp.mode).toBe("simulator");
    expect(env.seed).toBe("demo");
    expect(env.workersEnabled).toBe(true);
    expect(env.appUrl).toBe("http://localhost:3000");
  });

  it("does not seed demo data in production unless asked", () => {
    expect(parseEnv({ NODE_ENV: "production" }).seed).toBe("none");
    expect(parseEnv({ NODE_ENV: "production", PARLEY_SEED: "demo" }).seed).toBe("demo");
  });

  it("switches WhatsApp to the cloud when an access token is configured", () => {
    expect(parseEnv({ WHATSAPP_ACCESS_TOKEN: "token" }).whatsapp.mode).toBe("cloud");
  });

  it("treats empty variables as unset", () => {
    expect(parseEnv({ PORT: "", DATABASE_URL: "" }).port).toBe(3000);
  });

  it("names a bad PORT with the value given", () => {
    expect(problemsOf({ PORT: "abc" })).toEqual(['PORT must be a port number (got "abc")']);
    expect(problemsOf({ PORT: "70000" })).toEqual(['PORT must be between 1 and 65535 (got "70000")']);
  });

  it("gives Graph API calls 15 s by default and takes another bound in milliseconds", () => {
    expect(parseEnv({}).whatsapp.apiTimeoutMs).toBe(15_000);
    expect(parseEnv({ WHATSAPP_API_TIMEOUT_MS: "1500" }).whatsapp.apiTimeoutMs).toBe(1_500);
    expect(problemsOf({ WHATSAPP_API_TIMEOUT_MS: "soon" })[0]).toMatch(
      /^WHATSAPP_API_TIMEOUT_MS must be a number/,
    );
    expect(problemsOf({ WHATSAPP_API_TIMEOUT_MS: "5" })[0]).toMatch(
      /^WHATSAPP_API_TIMEOUT_MS must be at least 100/,
    );
  });

  it("refuses a DATABASE_URL that is not a postgres URL", () => {
    expect(problemsOf({ DATABASE_URL: "mysql://localhost/db" })).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// connection URL (got "mysql://localhost/db")',
    ]);
  });

  it("runs the retention sweeper daily unless told otherwise, and refuses a bad interval", () => {
    expect(parseEnv({}).retentionIntervalMinutes).toBe(1440);
    expect(parseEnv({ PARLEY_RETENTION_INTERVAL_MINUTES: "15" }).retentionIntervalMinutes).toBe(15);
    expect(problemsOf({ PARLEY_RETENTION_INTERVAL_MINUTES: "0" })[0]).toMatch(/^PARLEY_RETENTION_INTERVAL_MINUTES must be at least 1/);
    expect(problemsOf({ PARLEY_RETENTION_INTERVAL_MINUTES: "daily" })[0]).toMatch(/^PARLEY_RETENTION_INTERVAL_MINUTES /);
  });

  it("reports every bad variable at once", () => {
    const problems = problemsOf({ PORT: "x", PARLEY_WORKERS: "maybe", REDIS_URL: "localhost" });
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["PORT", "REDIS_URL", "PARLEY_WORKERS"]);
  });

  it("points WhatsApp at the app's own simulator by default, on a pinned API version", () => {
    const env = parseEnv({ APP_URL: "https://parley.example/" });
    expect(env.appUrl).toBe("https://parley.example");
    expect(env.whatsapp).toMatchObject({
      mode: "simulator",
      apiBaseUrl: "https://parley.example/api/simulator/graph",
      apiVersion: "v23.0",
      simulatorEnabled: true,
      simulatorAccess: "anyone",
    });
  });

  it("uses Meta's Graph API in cloud mode and requires its token there", () => {
    expect(parseEnv({ WHATSAPP_ACCESS_TOKEN: "token" }).whatsapp).toMatchObject({
      mode: "cloud",
      apiBaseUrl: "https://graph.facebook.com",
      simulatorEnabled: false,
    });
    expect(problemsOf({ WHATSAPP_MODE: "cloud" })).toEqual([
      "WHATSAPP_ACCESS_TOKEN is required when WHATSAPP_MODE is cloud",
    ]);
  });

  it("keeps the simulator off in production unless WHATSAPP_MODE=simulator, and then for admins", () => {
    expect(parseEnv({ NODE_ENV: "production" }).whatsapp).toMatchObject({
      simulatorEnabled: false,
      simulatorAccess: "admins",
    });
    expect(parseEnv({ NODE_ENV: "production", WHATSAPP_MODE: "simulator" }).whatsapp).toMatchObject({
      simulatorEnabled: true,
      simulatorAccess: "admins",
    });
  });

  it("names a malformed API version or base URL", () => {
    expect(problemsOf({ WHATSAPP_API_VERSION: "23" })).toEqual([
      'WHATSAPP_API_VERSION must look like v23.0 (got "23")',
    ]);
    expect(problemsOf({ WHATSAPP_API_BASE_URL: "ftp://graph" })).toEqual([
      'WHATSAPP_API_BASE_URL must be an absolute http(s) URL (got "ftp://graph")',
    ]);
  });
});
