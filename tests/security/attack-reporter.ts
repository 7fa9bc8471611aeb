import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints "N tried, N blocked" after the attack suite: every test is one attack, and a passing
 * test is one the product blocked. A failed attack test (the attack got through) makes the
 * counts differ and the run fail.
 */
export default class AttackReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let tried = 0;
    let blocked = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "skipped" || state === "pending") continue;
        tried += 1;
        if (state === "passed") blocked += 1;
      }
    }
    process.stdout.write(`\nAttack suite: ${tried} tried, ${blocked} blocked\n`);
  }
}
