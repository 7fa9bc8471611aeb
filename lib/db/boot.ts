import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { errorCodeOf } from "./errors";
import { openDatabase, type DatabaseHandle } from "./client";
import { databaseTargetFromEnv, setDatabaseHandle } from "./index";
import { migrateDatabase } from "./migrate";
import { demoPassword, demoUsers, seedDemoData } from "./seed";

export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

function reason(error: unknown): string {
  return errorCodeOf(error) ?? (error instanceof Error ? error.message : String(error));
}

/** Opens, checks, migrates and (in development) seeds the database; installs it process-wide. */
export async function bootDatabase(): Promise<DatabaseHandle> {
  const env = getEnv();
  const target = databaseTargetFromEnv();
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(target);
    await handle.ping(5000);
  } catch (error) {
    const where = target.driver === "postgres" ? "PostgreSQL at DATABASE_URL" : `PGlite in DATA_DIR`;
    throw new StartupError(
      error instanceof Error && error.name === "DatabaseUnavailableError" && target.driver === "pglite"
        ? error.message
        : `Cannot reach ${where} (${reason(error)}). Is it running and reachable?`,
      { cause: error },
    );
  }

  try {
    await migrateDatabase(handle);
  } catch (error) {
    await handle.close().catch(() => {});
    throw new StartupError(`Database migration failed: ${reason(error)}`, { cause: error });
  }

  if (env.seed === "demo") {
    const { seeded } = await seedDemoData(handle.db);
    log.info(seeded ? "Seeded demo data." : "Demo data already present; keeping it.");
    log.info(
      `Demo sign-ins (password "${demoPassword}"): ${demoUsers.map((u) => `${u.email} (${u.role})`).join(", ")}`,
    );
    log.info(
      "Two-factor authentication is mandatory: at the first sign-in each demo user scans a QR code with an " +
        "authenticator app (or types the key shown) and saves ten recovery codes. " +
        "Scripted set-ups: npm run parley -- user:create --with-2fa … prints a ready TOTP secret.",
    );
  }
  setDatabaseHandle(handle);
  log.info(`Database: ${handle.location}`);
  return handle;
}
