import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/lib/db/raw";
import { inSearchTransaction, isStatementTimeout } from "@/lib/db/search";
import { setupTestDatabase, testDatabaseUrl } from "../../support/db";

const database = setupTestDatabase();

describe("inSearchTransaction", () => {
  it("sets its timeout for its own transaction only", async () => {
    const { db } = database().handle;
    const inside = await inSearchTransaction(db, { timeoutMs: 1234 }, (tx) =>
      queryRows<{ statement_timeout: string }>(tx, sql`show statement_timeout`),
    );
    expect(inside[0]?.statement_timeout).toBe("1234ms");
    const after = await queryRows<{ statement_timeout: string }>(db, sql`show statement_timeout`);
    expect(after[0]?.statement_timeout).toBe("0");
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
