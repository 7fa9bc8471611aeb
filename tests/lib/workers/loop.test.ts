import { describe, expect, it } from "vitest";
import { startPollingWorker } from "@/lib/workers/loop";

/** Resolves the next time `pass` runs. */
function passes() {
  let count = 0;
  let waiting: { at: number; resolve: () => void }[] = [];
  return {
    pass: () => {
      count += 1;
      waiting = waiting.filter((entry) => (entry.at <= count ? (entry.resolve(), false) : true));
      return Promise.resolve(0);
    },
    reached: (at: number) =>
      new Promise<void>((resolve) => (count >= at ? resolve() : waiting.push({ at, resolve }))),
    count: () => count,
  };
}

describe("the polling worker", () => {
  it("runs at once, runs again when nudged, and stops", async () => {
    const counter = passes();
    const worker = startPollingWorker({ name: "test", intervalMs: 3_600_000, pass: counter.pass });
    await counter.reached(1);
    worker.nudge();
    await counter.reached(2);
    await worker.stop();
    const stoppedAt = counter.count();
    worker.nudge();
    expect(counter.count()).toBe(stoppedAt);
  });

  it("keeps going while a pass finds work, and after a failing pass waits to be nudged", async () => {
    const outcomes: (number | Error)[] = [1, 1, new Error("database hiccup"), 0];
    let calls = 0;
    const reachedCall: Record<number, () => void> = {};
    const reached = (call: number) =>
      new Promise<void>((resolve) => (calls >= call ? resolve() : (reachedCall[call] = resolve)));
    const worker = startPollingWorker({
      name: "test",
      intervalMs: 3_600_000,
      pass: () => {
        const outcome = outcomes[calls] ?? 0;
        calls += 1;
        reachedCall[calls]?.();
        return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
      },
    });
    await reached(3);
    expect(calls).toBe(3);
    worker.nudge();
    await reached(4);
    await worker.stop();
    expect(calls).toBe(4);
  });
});
