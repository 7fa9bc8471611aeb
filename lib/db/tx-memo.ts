import type { Executor } from "./client";

const memos = new WeakMap<Executor, Map<string, Promise<unknown>>>();

/**
 * Lets one transaction read a piece of settings once: inside `work`, `memoInTransaction(tx, key,
 * load)` answers every call for `key` with the first load. For read-mostly rows that a batch would
 * otherwise read once per item (the webhook queue reads an inbox's SLA and consent settings for
 * every customer message); the caller holds what locks it needs for them not to change meanwhile.
 * Transactions that did not opt in load every time.
 */
export async function withTransactionMemo<T>(tx: Executor, work: () => Promise<T>): Promise<T> {
  memos.set(tx, new Map());
  try {
    return await work();
  } finally {
    memos.delete(tx);
  }
}

export function memoInTransaction<T>(tx: Executor, key: string, load: () => Promise<T>): Promise<T> {
  const memo = memos.get(tx);
  if (!memo) return load();
  let found = memo.get(key) as Promise<T> | undefined;
  if (!found) {
    found = load();
    memo.set(key, found);
    // A failed load is not remembered.
    found.catch(() => memo.delete(key));
  }
  return found;
}

/** What `memoInTransaction` has remembered for `key` in this transaction, without loading it. */
export function memoizedInTransaction<T>(tx: Executor, key: string): Promise<T> | undefined {
  return memos.get(tx)?.get(key) as Promise<T> | undefined;
}
