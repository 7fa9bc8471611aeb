import { mkdir, access, constants } from "node:fs/promises";
import { setImmediate } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the domain sees, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that runs queries: the database itself or an open transaction. */
export type Executor = Database | Transaction;

/** PGlite's `dataDir` is a directory, or "memory" for a throwaway database (tests). */
export type DatabaseTarget =
  { driver: "postgres"; url: string; poolMax?: number } | { driver: "pglite"; dataDir: string };

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: DatabaseTarget["driver"];
  /** Where the data lives, with any password removed; safe to print. */
  readonly location: string;
  /** Resolves when a trivial query succeeds within the timeout, rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}

async function ensureWritableDirectory(dir: string) {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new DatabaseUnavailableError(`DATA_DIR "${dir}" is not writable (${code})`, { cause: error });
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseUnavailableError(`${what} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type PostgresClient = postgres.Sql;

/**
 * The postgres.js client as drizzle should see it: every statement prepared. drizzle's driver sends
 * each query as `unsafe(text, params, { prepare: false })` (drizzle-orm#6096), and postgres.js
 * sends an unprepared statement with parameters in two round trips (Parse and Describe, then Bind
 * and Execute once the types are back), holding every statement queued behind it on that
 * connection. Prepared, a statement is parsed once per connection; afterwards it is one message,
 * and statements sent together (`Promise.all` in a transaction) share one write and one wait.
 * Transactions and savepoints hand drizzle a client of their own, so those are wrapped as well.
 */
export function preparingClient(client: PostgresClient): PostgresClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (
          text: string,
          args?: postgres.ParameterOrJSON<never>[],
          options?: postgres.UnsafeQueryOptions,
        ) => target.unsafe(text, args, { ...options, prepare: true });
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const work = args.pop() as (inner: PostgresClient) => unknown;
          const method = Reflect.get(target, property, target) as (...rest: unknown[]) => unknown;
          return method.call(target, ...args, (inner: PostgresClient) => work(preparingClient(inner)));
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/**
 * PGlite as drizzle should see it: each query and each transaction starts on a new turn of the
 * event loop. PGlite runs a statement synchronously inside this process, so its promise settles
 * without waiting on any I/O, and code running statement after statement (the webhook queue
 * draining a backlog, a worker finding more work) never returned to the event loop: no request was
 * read and no timer fired until it was done. In the ingest bench the 32 deliveries in flight waited
 * 10.7 s while the queue drained. A database across a network yields between statements by itself;
 * this makes PGlite do the same. Statements inside a transaction run back to back, as they must.
 */
export function yieldingPglite(client: PGlite): PGlite {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      // PGlite keeps its state in private fields, so its methods must run on the PGlite itself.
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (property !== "query" && property !== "transaction") return method;
      return async (...args: unknown[]) => {
        await setImmediate();
        return method(...args);
      };
    },
  });
}

/** Opens the database named by the target: a postgres.js pool, or PGlite on disk or in memory. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.driver === "postgres") {
    const client = postgres(target.url, {
      max: target.poolMax ?? 10,
      connect_timeout: 5,
      idle_timeout: 30,
      // postgres.js waits up to 20 s between reconnection attempts by default, and queries wait
      // with it: while the database is down requests would hang instead of answering 503. Retry
      // within a second at most, so they fail fast while it is down and recover as it returns.
      backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1) * (0.5 + Math.random() / 2),
      onnotice: () => {},
      // Statements are prepared (`preparingClient`), but each run is still planned with its own
      // values, as unprepared statements were: a generic plan can be far slower on skewed data.
      connection: { plan_cache_mode: "force_custom_plan" },
    });
    // Both drivers produce a PgDatabase over the same schema; the HKT differs only in result typing.
    const db = drizzlePostgres(preparingClient(client), { schema }) as unknown as Database;
    return {
      db,
      driver: "postgres",
      location: redactUrl(target.url),
      ping: (timeoutMs = 2000) =>
        withTimeout(
          db.execute(sql`select 1`).then(() => undefined),
          timeoutMs,
          "database ping",
        ),
      close: () => client.end({ timeout: 5 }),
    };
  }

  if (target.dataDir !== "memory") await ensureWritableDirectory(target.dataDir);
  // pg_trgm serves the conversation search's trigram indexes, as on PostgreSQL.
  const options = { extensions: { pg_trgm } };
  const client = target.dataDir === "memory" ? new PGlite(options) : new PGlite(target.dataDir, options);
  await client.waitReady;
  const db = drizzlePglite(yieldingPglite(client), { schema }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    location: target.dataDir === "memory" ? "PGlite (in memory)" : `PGlite in ${target.dataDir}`,
    ping: (timeoutMs = 2000) =>
      withTimeout(
        db.execute(sql`select 1`).then(() => undefined),
        timeoutMs,
        "database ping",
      ),
    close: () => client.close(),
  };
}
