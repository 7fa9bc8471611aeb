import { getEnv } from "../env";
import { openDatabase, type Database, type DatabaseHandle, type DatabaseTarget } from "./client";

export type { Database, DatabaseHandle, Executor, Transaction } from "./client";
export { DatabaseUnavailableError } from "./client";

declare global {
  // server.ts and the Next.js route bundles load separate copies of this module; the handle
  // lives on globalThis so they share one pool (and PGlite allows one instance per directory).
  var __parleyDatabase: Promise<DatabaseHandle> | undefined;
}

export function databaseTargetFromEnv(): DatabaseTarget {
  const env = getEnv();
  return env.databaseUrl
    ? { driver: "postgres", url: env.databaseUrl, poolMax: env.databasePoolMax }
    : { driver: "pglite", dataDir: env.dataDir };
}

/** Installs the process-wide handle (server start-up, tests). */
export function setDatabaseHandle(handle: DatabaseHandle): void {
  globalThis.__parleyDatabase = Promise.resolve(handle);
}

export function clearDatabaseHandle(): void {
  globalThis.__parleyDatabase = undefined;
}

/** The process-wide handle, opened from the environment on first use. */
export function getDatabaseHandle(): Promise<DatabaseHandle> {
  globalThis.__parleyDatabase ??= openDatabase(databaseTargetFromEnv()).catch((error: unknown) => {
    globalThis.__parleyDatabase = undefined;
    throw error;
  });
  return globalThis.__parleyDatabase;
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}
