import { eq, exists, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "./client";

/**
 * For a statement pipelined right after an insert (sent together, one round trip, in order): a
 * condition true only once the row with `id` exists, i.e. the insert before it wrote it. The id is
 * chosen by the caller, so an insert that did nothing (ON CONFLICT DO NOTHING) makes the follow-up
 * change nothing either.
 */
export function afterInsertOf(db: Executor, table: PgTable, idColumn: AnyPgColumn, id: string): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(table)
      .where(eq(idColumn, id)),
  );
}
