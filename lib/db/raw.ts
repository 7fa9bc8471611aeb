import type { SQL } from "drizzle-orm";
import type { Executor } from "./client";

/**
 * Rows of a raw SQL query on either driver: postgres.js returns an array of rows, PGlite an
 * object with `rows`. Prefer the query builder; this is for catalog queries and the like.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  if (result && typeof result === "object" && "rows" in result && Array.isArray(result.rows))
    return result.rows as T[];
  throw new Error("unexpected result shape from db.execute");
}
