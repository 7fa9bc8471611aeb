import { sql, type SQL } from "drizzle-orm";

/**
 * A list of values as ONE parameter: a PostgreSQL array literal, cast to `type`. `IN ($1, $2, …)`
 * gives every list length its own statement text, so each length is prepared anew on each pooled
 * connection, and a statement not yet prepared costs an extra round trip and stops pipelining.
 * One array parameter keeps one statement whatever the length. Elements are quoted, so any text is
 * safe (it is a parameter either way, never SQL).
 */
export function arrayParam(
  values: readonly (string | number | bigint)[],
  type: "text" | "uuid" | "bigint",
): SQL {
  const literal = `{${values.map((value) => `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
  return sql`${literal}::${sql.raw(type)}[]`;
}
