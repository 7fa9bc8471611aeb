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

  it("refuses a DATABASE_URL that is not a postgres URL", () => {
    expect(problemsOf({ DATABASE_URL: "mysql://localhost/db" })).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// connection URL (got "mysql://localhost/db")',
    ]);
  });

  it("reports every bad variable at once", () => {
    const problems = problemsOf({ PORT: "x", PARLEY_WORKERS: "maybe", REDIS_URL: "localhost" });
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["PORT", "REDIS_URL", "PARLEY_WORKERS"]);
  });
});
