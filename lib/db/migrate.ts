import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { DatabaseHandle, Database, Schema } from "./client";

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../drizzle");

// Any fixed number; every instance takes the same lock so only one migrates at a time.
const MIGRATION_LOCK_KEY = 7_340_221;

/** The handle's driver says which concrete drizzle type sits behind the shared Database type. */
function asDriverDatabase<T extends PgliteDatabase<Schema> | PostgresJsDatabase<Schema>>(db: Database): T {
  return db as unknown as T;
}

/** Applies the committed migrations in drizzle/. Safe to call from several instances at once. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(asDriverDatabase<PgliteDatabase<Schema>>(handle.db), { migrationsFolder });
    return;
  }
  await handle.db.transaction(async (tx) => {
    // Held until this transaction ends; other instances wait here, then find nothing to apply.
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await migratePostgres(asDriverDatabase<PostgresJsDatabase<Schema>>(handle.db), { migrationsFolder });
  });
}
