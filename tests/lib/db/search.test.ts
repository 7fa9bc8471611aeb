import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/lib/db/raw";
import { inSearchTransaction, isStatementTimeout } from "@/lib/db/search";
import { setupTestDatabase, testDatabaseUrl } from "../../support/db";

const database = setupTestDatabase();

describe("inSearchTransaction", () => {
  it("plans each statement for its parameters and leaves the connection's settings as they were", async () => {
    const { db } = database().handle;
    const inside = await inSearchTransaction(db, {}, (tx) =>
      queryRows<{ plan_cache_mode: string }>(tx, sql`show plan_cache_mode`),
    );
    expect(inside[0]?.plan_cache_mode).toBe("force_custom_plan");
    const after = await queryRows<{ plan_cache_mode: string }>(db, sql`show plan_cache_mode`);
    expect(after[0]?.plan_cache_mode).toBe("auto");
  });

  // PGlite runs queries inside this process and has no statement timeout; its databases are the
  // small embedded ones.
  it.runIf(testDatabaseUrl)(
    "cancels a statement that runs past its timeout, with an error it recognises",
    async () => {
      const { db } = database().handle;
      const caught = await inSearchTransaction(db, { timeoutMs: 50 }, (tx) =>
        tx.execute(sql`select pg_sleep(2)`),
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isStatementTimeout(caught)).toBe(true);
      // The connection is usable afterwards, without the timeout.
      const rows = await queryRows<{ one: number }>(db, sql`select 1 as one`);
      expect(rows[0]?.one).toBe(1);
    },
  );
});
