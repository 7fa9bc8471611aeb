import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCodeAt } from "@/lib/auth/totp";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { signInWithCredentials } from "@/lib/domain/auth";
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from "../support/db";
import { createInbox } from "../support/factories";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let postgres: TestDatabase | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "parley-cli-"));
  if (testDatabaseUrl) postgres = await createTestDatabase();
  await withDatabase((db) => createInbox(db.db, { name: "Support" }));
});

afterAll(async () => {
  await postgres?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** PGlite allows one process per directory: the test opens it only while no command runs. */
async function withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  if (postgres) return work(postgres.handle);
  const handle = await openDatabase({ driver: "pglite", dataDir });
  try {
    const { migrateDatabase } = await import("@/lib/db/migrate");
    await migrateDatabase(handle);
    return await work(handle);
  } finally {
    await handle.close();
  }
}

function parley(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    // What `npm run parley` runs (tsx cli/parley.ts), without npm's own start-up cost.
    const child = spawn(process.execPath, ["--import", "tsx", "cli/parley.ts", ...args], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "test",
        PARLEY_SEED: "none",
        DATA_DIR: dataDir,
        DATABASE_URL: postgres?.url ?? "",
        AUTH_SECRET: process.env.AUTH_SECRET ?? "",
        PARLEY_ENCRYPTION_KEY: process.env.PARLEY_ENCRYPTION_KEY ?? "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function userCount(email: string) {
  return withDatabase(async ({ db }) => {
    const rows = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    return rows.length;
  });
}

describe("npm run parley", () => {
  it(
    "creates an enrolled user with a generated password and prints JSON with the TOTP secret",
    { timeout: 60_000 },
    async () => {
      const run = await parley(
        "user:create",
        "--email",
        "Robin@Example.test",
        "--name",
        "Robin",
        "--role",
        "admin",
        "--inbox",
        "support",
        "--with-2fa",
      );
      expect(run.code).toBe(0);
      const printed = JSON.parse(run.stdout) as {
        id: string;
        email: string;
        role: string;
        inboxes: { name: string }[];
        password: string;
        totpSecret: string;
        recoveryCodes: string[];
      };
      expect(printed).toMatchObject({
        email: "robin@example.test",
        role: "admin",
        inboxes: [{ name: "Support" }],
      });
      expect(printed.password).toHaveLength(20);
      expect(printed.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(printed.recoveryCodes).toHaveLength(10);

      const now = new Date();
      const signedIn = await withDatabase(({ db }) =>
        signInWithCredentials({
          ctx: { db, actor: { kind: "system", reason: "test" }, now },
          input: {
            email: printed.email,
            password: printed.password,
            code: totpCodeAt(printed.totpSecret, now),
          },
        }),
      );
      expect(signedIn).toMatchObject({ id: printed.id, twoFactor: true });
    },
  );

  it(
    "creates a user with the given password who must enrol at first sign-in",
    { timeout: 60_000 },
    async () => {
      const run = await parley(
        "user:create",
        "--email",
        "sky@example.test",
        "--name",
        "Sky",
        "--role",
        "agent",
        "--password",
        "a long and unusual passphrase",
      );
      expect(run.code).toBe(0);
      const printed = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(printed).not.toHaveProperty("password");
      expect(printed).not.toHaveProperty("totpSecret");
    },
  );

  it(
    "refuses bad arguments with a readable message, exit code 2 and nothing written",
    { timeout: 60_000 },
    async () => {
      const badRole = await parley(
        "user:create",
        "--email",
        "x@example.test",
        "--name",
        "X",
        "--role",
        "owner",
      );
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toContain("--role must be admin, supervisor or agent");
      expect(badRole.stdout).toBe("");

      const unknownOption = await parley("user:create", "--email", "x@example.test", "--nmae", "X");
      expect(unknownOption.code).toBe(2);
      expect(unknownOption.stderr).toMatch(/Unknown option '--nmae'/);

      const unknownInbox = await parley(
        "user:create",
        "--email",
        "x@example.test",
        "--name",
        "X",
        "--role",
        "agent",
        "--inbox",
        "Nowhere",
      );
      expect(unknownInbox.code).toBe(2);
      expect(unknownInbox.stderr).toContain('No inbox is called or has the id "Nowhere"');

      const weak = await parley(
        "user:create",
        "--email",
        "x@example.test",
        "--name",
        "X",
        "--role",
        "agent",
        "--password",
        "password",
      );
      expect(weak.code).toBe(2);
      expect(weak.stderr).toContain("at least 12 characters");

      expect(await userCount("x@example.test")).toBe(0);
    },
  );

  it("says when the email is taken, with exit code 1", { timeout: 60_000 }, async () => {
    const run = await parley(
      "user:create",
      "--email",
      "robin@example.test",
      "--name",
      "Robin 2",
      "--role",
      "agent",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("A user with that email already exists.");
  });

  it("resets a user's 2FA so they enrol again", { timeout: 60_000 }, async () => {
    const run = await parley("user:reset-2fa", "--email", "robin@example.test");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ email: "robin@example.test", twoFactorReset: true });
    const row = await withDatabase(async ({ db }) => {
      const [user] = await db.select().from(users).where(eq(users.email, "robin@example.test"));
      return user;
    });
    expect(row).toMatchObject({ totpEnabledAt: null, totpSecretEncrypted: null });

    const missing = await parley("user:reset-2fa", "--email", "nobody@example.test");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No user has the email nobody@example.test.");
  });
});
