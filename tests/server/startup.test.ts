import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

interface Outcome {
  code: number | null;
  stderr: string;
}

/** Starts server.ts the way `npm run dev` does and waits for it to give up. */
function startServer(env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "development",
        NEXT_TELEMETRY_DISABLED: "1",
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not exit: ${stderr}`));
    }, 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("server start-up refuses a bad configuration", () => {
  it("names a bad variable in one line and exits 1", async () => {
    const outcome = await startServer({ PORT: "not-a-port" });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim()).toBe('Invalid environment: PORT must be a port number (got "not-a-port")');
  });

  it("says when DATA_DIR is not writable", async () => {
    // A path below a regular file can never be created, even by root.
    const outcome = await startServer({ DATA_DIR: "/proc/version/data" });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim()).toMatch(/^DATA_DIR "\/proc\/version\/data" is not writable \(\w+\)$/);
  });

  it("says when PostgreSQL cannot be reached", async () => {
    const outcome = await startServer({ DATABASE_URL: "postgres://postgres:hunter2@127.0.0.1:1/parley" });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim()).toBe(
      "Cannot reach PostgreSQL at DATABASE_URL (ECONNREFUSED). Is it running and reachable?",
    );
    expect(outcome.stderr).not.toContain("hunter2");
  });

  it("refuses to start in production without AUTH_SECRET", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-start-"));
    try {
      const outcome = await startServer({
        NODE_ENV: "production",
        DATA_DIR: dataDir,
        PARLEY_ENCRYPTION_KEY: "x".repeat(32),
      });
      expect(outcome.code).toBe(1);
      expect(outcome.stderr.trim()).toBe("Invalid environment: AUTH_SECRET is required in production");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
