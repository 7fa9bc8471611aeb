import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";

/** Set to a Postgres URL to run the suite on Postgres; unset, every test file gets in-memory PGlite. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The URL of this file's own database (Postgres only). */
  url?: string;
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A freshly migrated database of its own: PGlite in memory, or a new Postgres database dropped afterwards. */
export async function createTestDatabase({
  migrate = true,
}: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const handle = await openDatabase({ driver: "pglite", dataDir: "memory" });
    if (migrate) await migrateDatabase(handle);
    return { handle, dispose: () => handle.close() };
  }

  const name = `parley_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(testDatabaseUrl, name);
  const handle = await openDatabase({ driver: "postgres", url, poolMax: 5 });
  if (migrate) await migrateDatabase(handle);
  return {
    handle,
    url,
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** Registers hooks giving the calling test file its own migrated database. */
export function setupTestDatabase(): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.dispose();
  });
  return () => {
    if (!current) throw new Error("the test database is created in beforeAll; use it inside tests");
    return current;
  };
}
