import { setTimeout as sleep } from "node:timers/promises";
import { sqlStateOf } from "./errors";

/**
 * Conflicts a concurrent transaction can cause and a fresh attempt resolves: a unique key taken
 * meanwhile (23505), a deadlock (40P01), a serialization failure (40001).
 */
export function isTransientConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === "23505" || state === "40P01" || state === "40001";
}

/**
 * Runs a whole transaction again (briefly spaced, with jitter) when it lost a race. Eight attempts:
 * a burst of writers to one new row (a customer's simultaneous first messages) settles one per round.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      await sleep(attempt * 15 + Math.floor(Math.random() * 25));
    }
  }
}
