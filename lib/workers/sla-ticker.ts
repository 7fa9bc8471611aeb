import { getDb, type Database } from "@/lib/db";
import { slaAlertRecipients } from "@/lib/domain/sla/alerts";
import { BREACH_BATCH, markBreaches } from "@/lib/domain/sla/breaches";
import { describeError, log } from "@/lib/log";
import type { SlaBreachedEvent } from "@/lib/realtime/events";
import { publish } from "@/lib/realtime/publish";

export const SLA_TICK_INTERVAL_MS = 10_000;

export interface SlaTickResult {
  /** The breaches this tick marked (and published). */
  marked: SlaBreachedEvent[];
}

/**
 * One tick: marks the clocks that went past due, commits, then publishes `sla.breached` to each
 * clock's inbox for exactly the clocks this tick marked, and `sla.alert` to the supervisors and
 * admins of that inbox (agents see the badge turn, only supervisors get the alert).
 */
export async function runSlaTick({
  db,
  now,
  limit = BREACH_BATCH,
}: {
  db: Database;
  now: Date;
  limit?: number;
}): Promise<SlaTickResult> {
  const marked = await db.transaction((tx) => markBreaches(tx, { now, limit }));
  for (const breach of marked) publish.slaBreached(breach);
  if (marked.length > 0) {
    const recipients = await slaAlertRecipients(
      db,
      marked.map((breach) => breach.inboxId),
    );
    for (const breach of marked) publish.slaAlert(recipients.get(breach.inboxId) ?? [], breach);
  }
  return { marked };
}

export interface SlaTicker {
  /** Stops scheduling ticks and waits for the one in flight, if any. */
  stop(): Promise<void>;
}

/**
 * Ticks every `intervalMs` (the first at once), or again straight away after a full batch.
 * A failing tick is logged and the next one tries again.
 */
export function startSlaTicker({
  intervalMs = SLA_TICK_INTERVAL_MS,
  database = getDb,
  clock = () => new Date(),
  limit = BREACH_BATCH,
  onTick,
}: {
  intervalMs?: number;
  database?: () => Promise<Database>;
  clock?: () => Date;
  limit?: number;
  /** Told after every tick (tests and metrics). */
  onTick?: (result: SlaTickResult | { error: unknown }) => void;
} = {}): SlaTicker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  const tick = async () => {
    let delay = intervalMs;
    try {
      const result = await runSlaTick({ db: await database(), now: clock(), limit });
      if (result.marked.length > 0) log.info("SLA breaches marked", { count: result.marked.length });
      if (result.marked.length >= limit) delay = 0;
      onTick?.(result);
    } catch (error) {
      log.warn("SLA tick failed; retrying at the next tick", describeError(error));
      onTick?.({ error });
    }
    if (!stopped) timer = setTimeout(run, delay);
  };
  const run = () => {
    timer = undefined;
    inFlight = tick().finally(() => {
      inFlight = undefined;
    });
  };
  timer = setTimeout(run, 0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
