import { setTimeout as sleep } from "node:timers/promises";
import { getDatabaseHandle, type DatabaseHandle } from "@/lib/db";
import { describeError, log } from "@/lib/log";
import { processQueuedWebhookEvents } from "./ingest";

interface QueueRunner {
  /** The pass loop in progress, if any. */
  running: Promise<void> | undefined;
  /** Set when work was announced during a pass, so the loop looks again before it stops. */
  again: boolean;
  /** Deliveries being stored right now; the queue lets them go first. */
  accepting: number;
  /** When the last delivery was stored (performance.now()). */
  lastAccepted: number;
}

declare global {
  // server.ts and the Next.js route bundles load separate copies of this module; one runner per
  // process lives on globalThis, so acknowledged events are processed one batch at a time, in order.
  var __parleyWebhookQueue: QueueRunner | undefined;
}

function runner(): QueueRunner {
  globalThis.__parleyWebhookQueue ??= { running: undefined, again: false, accepting: 0, lastAccepted: 0 };
  return globalThis.__parleyWebhookQueue;
}

/**
 * Processes acknowledged webhook events until none is left: called right after an event commits
 * (so a message reaches agents within milliseconds) and by the worker's poll (events left by a
 * crash or by an instance that stopped). Joins the pass in progress instead of starting a second
 * one. A failed pass (database down) is logged and left to the next call.
 */
export function drainWebhookQueue(): Promise<void> {
  const state = runner();
  if (state.running) {
    state.again = true;
    return state.running;
  }
  const loop = async () => {
    try {
      const handle = await getDatabaseHandle();
      const pace = paceFor(handle.driver);
      for (;;) {
        await giveWayToDeliveries(state, pace);
        state.again = false;
        const taken = await processQueuedWebhookEvents({
          db: handle.db,
          now: () => new Date(),
          limit: pace.batch,
        });
        if (taken === 0 && !state.again) return;
      }
    } catch (error) {
      log.error("webhook queue: pass failed; the events stay queued", describeError(error));
    } finally {
      state.running = undefined;
    }
  };
  state.running = loop();
  return state.running;
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

interface Pace {
  /** Events per batch (one transaction). */
  batch: number;
  /** How long deliveries must have been quiet before a batch starts. */
  quietMs: number;
  /** The longest a batch gives way, so a steady flood cannot starve the queue. */
  giveWayMs: number;
}

/**
 * PGlite runs inside this process on one connection: each of its queries holds the event loop, so
 * there batches are short and wait for a pause in the deliveries.
 */
function paceFor(driver: DatabaseHandle["driver"]): Pace {
  return driver === "pglite"
    ? { batch: 10, quietMs: 25, giveWayMs: 2_000 }
    : { batch: 50, quietMs: 0, giveWayMs: 250 };
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
  while (runner().running) await runner().running;
}
