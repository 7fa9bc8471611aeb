import net from "node:net";
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { queryRows } from "@/lib/db/raw";
import { setupTestDatabase, testDatabaseUrl } from "../../support/db";

const database = setupTestDatabase();

/** Counts writes to every TCP socket while `work` runs: one write is one trip to the database. */
async function countWrites(work: () => Promise<unknown>): Promise<number> {
  // A spy that calls through: the writes still happen, they are only counted.
  const spy = vi.spyOn(net.Socket.prototype, "write");
  try {
    await work();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

describe.runIf(testDatabaseUrl)("the PostgreSQL client", () => {
  it("prepares drizzle's statements on the connection, in transactions and savepoints too", async () => {
    const { db } = database().handle;
    const names = await db.transaction(async (tx) => {
      await tx.execute(sql`select ${"outer"}::text as marker`);
      await tx.transaction((savepoint) => savepoint.execute(sql`select ${"inner"}::text as marker`));
      return queryRows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements`);
    });
    const statements = names.map((row) => row.statement);
    expect(statements).toContain("select $1::text as marker");
  });

  it("plans every run for its own values", async () => {
    const { db } = database().handle;
    const settings = await Promise.all(
      Array.from({ length: 5 }, () =>
        db.transaction((tx) => queryRows<{ plan_cache_mode: string }>(tx, sql`show plan_cache_mode`)),
      ),
    );
    expect(settings.map((rows) => rows[0]?.plan_cache_mode)).toEqual(Array(5).fill("force_custom_plan"));
  });

  it("sends statements issued together in one write once they are prepared", async () => {
    const { db } = database().handle;
    const together = () =>
      db.transaction((tx) =>
        Promise.all([1, 2, 3].map((value) => tx.execute(sql`select ${value}::int + 1 as next`))),
      );
    // Each pooled connection prepares its statements once: run it on every connection of the pool
    // (five in tests) at the same time first.
    await Promise.all(Array.from({ length: 5 }, together));
    // begin, the three statements, commit.
    expect(await countWrites(together)).toBe(3);
  });
});

describe.runIf(!testDatabaseUrl)("the PGlite client", () => {
  /** Runs `statements` one after another and reports how many had run when a timer fired. */
  async function statementsBeforeTimer(statements: number, run: () => Promise<unknown>) {
    let ran = 0;
    let seenByTimer: number | undefined;
    setImmediate(() => (seenByTimer = ran));
    for (let index = 0; index < statements; index += 1) {
      await run();
      ran += 1;
    }
    return seenByTimer;
  }

  it("lets the event loop run between statements, as a database across a network does", async () => {
    const { db } = database().handle;
    expect(await statementsBeforeTimer(20, () => db.execute(sql`select 1`))).toBe(0);
  });

  it("lets the event loop run between transactions", async () => {
    const { db } = database().handle;
    const transaction = () => db.transaction((tx) => tx.execute(sql`select 1`));
    expect(await statementsBeforeTimer(20, transaction)).toBe(0);
  });
});
