import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "@/lib/db";
import { authThrottles } from "@/lib/db/schema";
import { RateLimitedError } from "../errors";

const WINDOW_MS = 15 * 60_000;
const SPAN_MS = 60 * 60_000;

/** Failed sign-ins allowed in any hour: per account, and per client address. */
export const signInLimits = { account: 100, ip: 500 } as const;

export interface AttemptKeys {
  email: string;
  ip: string | undefined;
}

export interface Reservation {
  keys: string[];
  windowStart: Date;
}

function keysOf({ email, ip }: AttemptKeys): { key: string; limit: number }[] {
  return [
    { key: `account:${email}`, limit: signInLimits.account },
    { key: `ip:${ip ?? "unknown"}`, limit: signInLimits.ip },
  ];
}

function windowStartOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
}

/**
 * When the attempts counted against a key fall back under its limit: a window stops counting once
 * it no longer overlaps the last hour, so the oldest windows drop out first.
 */
function retryAfterSeconds(windows: { windowStart: Date; count: number }[], limit: number, now: Date) {
  let total = windows.reduce((sum, w) => sum + w.count, 0);
  for (const window of windows) {
    total -= window.count;
    if (total < limit) {
      const freeAt = window.windowStart.getTime() + WINDOW_MS + SPAN_MS;
      return Math.max(60, Math.ceil((freeAt - now.getTime()) / 1000));
    }
  }
  return Math.ceil((WINDOW_MS + SPAN_MS) / 1000);
}

export class SignInThrottledError extends RateLimitedError {
  constructor(
    retryAfter: number,
    readonly lockedKey: string,
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfter / 60));
    super(
      `Too many sign-in attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      retryAfter,
    );
  }
}

/**
 * Counts this attempt as a failure BEFORE the password is checked, in its own committed
 * transaction: the upsert locks the key's current window, so parallel attempts queue behind each
 * other and never count past the limit. Over the limit, nothing is counted and the attempt is refused.
 */
export async function reserveSignInAttempt(db: Database, keys: AttemptKeys, now: Date): Promise<Reservation> {
  const windowStart = windowStartOf(now);
  const oldestCounted = new Date(now.getTime() - SPAN_MS - WINDOW_MS);
  const entries = keysOf(keys);
  await db.transaction(async (tx) => {
    for (const { key, limit } of entries) {
      await tx
        .insert(authThrottles)
        .values({ key, windowStart, count: 1 })
        .onConflictDoUpdate({
          target: [authThrottles.key, authThrottles.windowStart],
          set: { count: sql`${authThrottles.count} + 1` },
        });
      const windows = await tx
        .select({ windowStart: authThrottles.windowStart, count: authThrottles.count })
        .from(authThrottles)
        .where(and(eq(authThrottles.key, key), gt(authThrottles.windowStart, oldestCounted)))
        .orderBy(asc(authThrottles.windowStart));
      const total = windows.reduce((sum, w) => sum + w.count, 0);
      if (total > limit) throw new SignInThrottledError(retryAfterSeconds(windows, limit, now), key);
    }
  });
  return { keys: entries.map((e) => e.key), windowStart };
}

/** Gives back a reservation whose attempt turned out not to be a failure. */
export async function releaseSignInAttempt(db: Database, reservation: Reservation): Promise<void> {
  for (const key of reservation.keys) {
    await db
      .update(authThrottles)
      .set({ count: sql`greatest(${authThrottles.count} - 1, 0)` })
      .where(and(eq(authThrottles.key, key), eq(authThrottles.windowStart, reservation.windowStart)));
  }
}

/** True once per key and window: the first refusal of a lock-out is the one worth auditing. */
export async function isFirstRefusal(db: Database, lockedKey: string, now: Date): Promise<boolean> {
  const rows = await db
    .insert(authThrottles)
    .values({ key: `lockout:${lockedKey}`, windowStart: windowStartOf(now), count: 1 })
    .onConflictDoNothing()
    .returning({ key: authThrottles.key });
  return rows.length > 0;
}
