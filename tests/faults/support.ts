import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { signWebhookBody } from "@/lib/whatsapp/signature";
import { statusWebhook, textWebhook } from "../support/whatsapp-payloads";

/**
 * The fault suite runs the real product: `server.ts` on the production build, in its own process,
 * so it can be killed, starved of its database or flooded with replays. Nothing here is a stand-in
 * but the Graph API, which is the product's own simulator.
 */

export const APP_SECRET = "faults-app-secret-0123456789abcdef0123456789";
/** The demo seed's "Support" inbox number: webhooks addressed to it land in a real inbox. */
export const SUPPORT_NUMBER = "100000000000001";

const adminUrl =
  process.env.FAULTS_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A new, empty database on the machine's PostgreSQL; Parley migrates and seeds it at boot. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_faults_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  return {
    url: withDatabase(adminUrl, name),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

export async function openHandle(url: string): Promise<DatabaseHandle> {
  return openDatabase({ driver: "postgres", url, poolMax: 4 });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Parley {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr, for the failure message. */
  stderr(): string;
  /** SIGKILL: no shutdown hook runs, exactly like a crash or an OOM kill. */
  crash(): Promise<void>;
  /** SIGTERM and wait: the graceful path. */
  stop(): Promise<void>;
}

export interface ParleyOptions {
  /** PostgreSQL; without it, PGlite in a fresh DATA_DIR. */
  databaseUrl?: string;
  port: number;
  env?: Record<string, string>;
}

/** Starts `server.ts` in production mode and resolves once /api/health answers 200. */
export async function startParley({ databaseUrl, port, env = {} }: ParleyOptions): Promise<Parley> {
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-faults-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      PARLEY_SEED: "demo",
      // The same secrets as the test process, so sessions minted there are valid here.
      AUTH_SECRET: process.env.AUTH_SECRET ?? "",
      PARLEY_ENCRYPTION_KEY: process.env.PARLEY_ENCRYPTION_KEY ?? "",
      WHATSAPP_MODE: "simulator",
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: "faults-verify-token",
      WHATSAPP_SIMULATOR_ACCESS: "anyone",
      WHATSAPP_API_TIMEOUT_MS: "1500",
      LOG_LEVEL: "error",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  void exited.then(cleanup);

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Parley exited with ${child.exitCode} while starting:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Parley did not become healthy within 90 s:\n${stderr}`);
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }

  return {
    url,
    child,
    stderr: () => stderr,
    crash: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

const supportDisplayNumber = "15550000001";

/** A text message from a customer, shaped like Meta's, the same bytes for the same wamid. */
export function textMessageBody(input: {
  wamid: string;
  from: string;
  text: string;
  timestamp: number;
}): string {
  return textWebhook({
    phoneNumberId: SUPPORT_NUMBER,
    displayPhoneNumber: supportDisplayNumber,
    wamid: input.wamid,
    from: input.from,
    name: `Customer ${input.from.slice(-3)}`,
    body: input.text,
    timestamp: input.timestamp,
  });
}

export function statusBody(input: { wamid: string; status: string; timestamp: number; to: string }): string {
  return statusWebhook({
    phoneNumberId: SUPPORT_NUMBER,
    displayPhoneNumber: supportDisplayNumber,
    recipientId: input.to,
    statuses: [{ wamid: input.wamid, status: input.status, timestamp: input.timestamp }],
  });
}

/** POSTs a webhook signed like Meta's; the HTTP status, or "error" when no answer came. */
export async function postWebhook(baseUrl: string, body: string): Promise<number | "error"> {
  try {
    const response = await fetch(`${baseUrl}/api/webhooks/whatsapp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-hub-signature-256": signWebhookBody(body, APP_SECRET),
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "error";
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it became true. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

const resultsDir = path.resolve(".faults-results");

/** What one fault test tried and what held, printed together at the end of the suite. */
export function recordResult(name: string, result: Record<string, number | string | boolean>): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${name}.json`), `${JSON.stringify(result)}\n`);
}

/** Runs `command` and throws with its output when it fails. */
export function run(command: string, args: string[], options: { user?: string } = {}): string {
  const [file, argv] = options.user
    ? ["runuser", ["-u", options.user, "--", command, ...args]]
    : [command, args];
  const outcome = spawnSync(file, argv, { encoding: "utf8" });
  if (outcome.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${outcome.status}):\n${outcome.stdout}\n${outcome.stderr}`,
    );
  }
  return outcome.stdout;
}
