import { startSlaTicker } from "./sla-ticker";

/** The background workers of this instance; `stop` ends them and waits for work in flight. */
export interface Workers {
  stop(): Promise<void>;
}

/**
 * Starts every background worker (server.ts calls this when PARLEY_WORKERS=on). Each worker
 * claims its work with row locks, so any number of instances may run them.
 */
export function startWorkers(): Workers {
  const running = [startSlaTicker()];
  return {
    async stop() {
      await Promise.all(running.map((worker) => worker.stop()));
    },
  };
}
