import { describeError, log } from "@/lib/log";

export interface PollingWorker {
  /** Run now instead of at the next poll (after a commit that queued work). */
  nudge(): void;
  /** Stops polling; waits for the current pass at most `graceMs`, then leaves it to its lease. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs `pass` again and again: straight away while it finds work, otherwise every `intervalMs`
 * or when nudged. Never a busy loop, never two passes at once in one worker.
 */
export function startPollingWorker(options: {
  name: string;
  intervalMs: number;
  /** One pass; resolves to how much work it found. */
  pass: () => Promise<number>;
}): PollingWorker {
  let stopped = false;
  let nudged = false;
  let wake: (() => void) | undefined;

  const loop = async () => {
    while (!stopped) {
      let found = 0;
      try {
        found = await options.pass();
      } catch (error) {
        log.error(`${options.name}: pass failed`, describeError(error));
      }
      if (stopped) break;
      if (found > 0 || nudged) {
        nudged = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  const running = loop();

  return {
    nudge() {
      nudged = true;
      wake?.();
    },
    async stop(graceMs = 5_000) {
      stopped = true;
      wake?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}
