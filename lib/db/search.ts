import { sql } from "drizzle-orm";
import type { Executor, Transaction } from "./client";
import { sqlStateOf } from "./errors";

/**
 * Runs a search's queries in a transaction whose statements are planned for their actual terms,
 * and (with `timeoutMs`) cancelled after that long. postgres.js prepares statements, and after
 * five runs PostgreSQL may switch one to a generic plan: for a search, whether a term is rare
 * or common decides the plan, and the generic one measured 5.6 s on 100,000 conversations. The
 * timeout keeps one common word from holding a connection for minutes where a query has no
 * better plan (the list's counts).
 */
export async function inSearchTransaction<T>(
  db: Executor,
  { timeoutMs }: { timeoutMs?: number },
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('plan_cache_mode', 'force_custom_plan', true), set_config('statement_timeout', ${String(timeoutMs ?? 0)}, true)`,
    );
    return work(tx);
  });
}

/** The statement ran longer than its timeout (`inSearchTransaction`) and was cancelled. */
export function isStatementTimeout(error: unknown): boolean {
  return sqlStateOf(error) === "57014";
}
