import { sql } from "drizzle-orm";
import { check, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Every timestamp is stored with millisecond precision, the precision of a JS Date, so a value
 * read back and used as a keyset cursor compares exactly equal to the stored one.
 */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
}

export function createdAt() {
  return timestamptz("created_at").notNull().defaultNow();
}

export function updatedAt() {
  return timestamptz("updated_at").notNull().defaultNow();
}

/** A CHECK constraint keeping a text column to the values of its `as const` enum array. */
export function enumCheck(name: string, column: AnyPgColumn, values: readonly string[]) {
  // The values are compile-time constants from the schema, never user input.
  const list = sql.raw(values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", "));
  return check(name, sql`${column} in (${list})`);
}

/**
 * Storage options of the search's trigram GIN indexes. New rows wait in a pending list that every
 * search reads in full until vacuum merges it; at the default 4 MB that costs a search tens of ms.
 */
export const searchGinOptions = { gin_pending_list_limit: 64 };
