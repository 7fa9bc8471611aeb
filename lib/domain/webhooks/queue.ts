import { setTimeout as sleep } from "node:timers/promises";
import { getDatabaseHandle, type DatabaseHandle } from "@/lib/db";
import { describeError, log } from "@/lib/log";
import { processQueuedWebhookEvents } from "./ingest";

interface QueueRunner {
  /** The pass loops in progress. */
  loops: Set<Promise<void>>;
  /** How many may run side by side: 1 until the driver is known, then its pace's. */
  parallel: number;
  /** Set when work was announced during a pass, so the loops look again before they stop. */
  again: boolean;
  /** Deliveries being stored right now; the queue lets them go first. */
  accepting: number;
  /** When the last delivery was stored (performance.now()). */
  lastAccepted: number;
}

declare global {
  // server.ts and the Next.js route bundles load separate copies of this module; the runner lives
  // on globalThis, so one process has one set of pass loops.
  var __parleyWebhookQueue: QueueRunner | undefined;
}

function runner(): QueueRunner {
  globalThis.__parleyWebhookQueue ??= {
    loops: new Set(),
    parallel: 1,
    again: false,
    accepting: 0,
    lastAccepted: 0,
  };
  return globalThis.__parleyWebhookQueue;
}

interface Pace {
  /** Pass loops running side by side (each takes its own batch; SKIP LOCKED keeps them apart). */
  parallel: number;
  /** Events per batch (one transaction). */
  batch: number;
  /** How long deliveries must have been quiet before a batch starts. */
  quietMs: number;
  /** The longest a batch gives way, so a steady flood cannot starve the queue. */
  giveWayMs: number;
}

/**
 * On PostgreSQL, batches run on several pooled connections at once. PGlite runs inside this
 * process on one connection: each of its queries holds the event loop, so there one loop takes
 * short batches and waits for a pause in the deliveries.
 */
function paceFor(driver: DatabaseHandle["driver"]): Pace {
  return driver === "pglite"
    ? { parallel: 1, batch: 10, quietMs: 25, giveWayMs: 2_000 }
    : { parallel: 3, batch: 20, quietMs: 0, giveWayMs: 250 };
}

/**
 * Processes acknowledged webhook events until none is left: called right after an event commits
 * (so a message reaches agents within milliseconds) and by the worker's poll (events left by a
 * crash or by an instance that stopped). Each call starts one more pass loop, up to the driver's
 * `parallel`, so loops ramp up with a burst; otherwise a call only asks them to look again. A
 * failed pass (database down) is logged and left to the next call. Meta does not promise order
 * between deliveries either; what depends on order (previews, windows, statuses) follows the
 * messages' own times.
 */
export function drainWebhookQueue(): Promise<void> {
  const state = runner();
  state.again = true;
  // Registered at once (not after the handle resolves), so `webhookQueueSettled` sees the loop.
  if (state.loops.size < state.parallel) {
    const loop = (async () => {
      const handle = await getDatabaseHandle();
      const pace = paceFor(handle.driver);
      state.parallel = pace.parallel;
      await passLoop(state, handle, pace);
    })();
    state.loops.add(loop);
    void loop.finally(() => state.loops.delete(loop));
  }
  return Promise.all(state.loops).then(() => undefined);
}

async function passLoop(state: QueueRunner, handle: DatabaseHandle, pace: Pace): Promise<void> {
  try {
    for (;;) {
      await giveWayToDeliveries(state, pace);
      state.again = false;
      const taken = await processQueuedWebhookEvents({
        db: handle.db,
        now: () => new Date(),
        limit: pace.batch,
      });
      // A batch that was not full took every event there was; one that arrived since then set
      // `again`. Stopping here spares each message arriving alone a second, empty transaction.
      if (taken < pace.batch && !state.again) return;
    }
  } catch (error) {
    log.error("webhook queue: pass failed; the events stay queued", describeError(error));
  }
}

/** Marks a delivery being stored, so the queue gives way to it (see `giveWayToDeliveries`). */
export async function whileAccepting<T>(work: () => Promise<T>): Promise<T> {
  const state = runner();
  state.accepting += 1;
  try {
    return await work();
  } finally {
    state.accepting -= 1;
    state.lastAccepted = performance.now();
  }
}

/**
 * Acknowledging comes first: Meta waits on it, and a batch competes with it for this process and
 * the database. So a batch starts when no delivery is being stored (and, on PGlite, none was for
 * a moment), or after `giveWayMs` at most; under a burst the queue catches up right after.
 */
async function giveWayToDeliveries(state: QueueRunner, pace: Pace) {
  const until = performance.now() + pace.giveWayMs;
  const busy = () => state.accepting > 0 || performance.now() - state.lastAccepted < pace.quietMs;
  while (busy() && performance.now() < until) await sleep(2);
}

/** Resolves when this process has no webhook pass in progress (tests, graceful shutdown). */
export async function webhookQueueSettled(): Promise<void> {
  while (runner().loops.size > 0) await Promise.all(runner().loops);
}
