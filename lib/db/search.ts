import { sql } from "drizzle-orm";
import type { Executor, Transaction } from "./client";
import { sqlStateOf } from "./errors";

/**
 * Runs a search's queries in a transaction whose statements are cancelled after `timeoutMs` (none
 * without it). The timeout keeps one common word from holding a connection for minutes where a
 * query has no better plan (the list's counts). Each run is planned for its actual terms, as every
 * statement is (`plan_cache_mode` in `openDatabase`): whether a term is rare or common decides the
 * plan, and a generic one measured 5.6 s on 100,000 conversations.
 */
export async function inSearchTransaction<T>(
  db: Executor,
  { timeoutMs }: { timeoutMs?: number },
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('statement_timeout', ${String(timeoutMs ?? 0)}, true)`);
    return work(tx);
  });
}

/** The statement ran longer than its timeout (`inSearchTransaction`) and was cancelled. */
export function isStatementTimeout(error: unknown): boolean {
  return sqlStateOf(error) === "57014";
}
