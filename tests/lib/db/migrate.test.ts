import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { openDatabase } from "@/lib/db/client";
import { queryRows } from "@/lib/db/raw";
import { createTestDatabase, testDatabaseUrl, setupTestDatabase } from "../../support/db";

const database = setupTestDatabase();

async function tableNames(): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    database().handle.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((row) => row.table_name);
}

describe("migrations", () => {
  it("create the core tables", async () => {
    expect(await tableNames()).toEqual(
      expect.arrayContaining([
        "api_tokens",
        "audit_log",
        "auth_throttles",
        "contacts",
        "conversations",
        "inbox_members",
        "inboxes",
        "messages",
        "recovery_codes",
        "outbox",
        "pending_message_statuses",
        "simulator_messages",
        "templates",
        "users",
        "webhook_events",
      ]),
    );
  });

  it("apply nothing the second time", async () => {
    const before = await tableNames();
    await migrateDatabase(database().handle);
    expect(await tableNames()).toEqual(before);
  });

  it.runIf(testDatabaseUrl)("are safe when two instances start at once on Postgres", async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      const second = await openDatabase({ driver: "postgres", url: fresh.url ?? "", poolMax: 3 });
      try {
        await Promise.all([migrateDatabase(fresh.handle), migrateDatabase(second)]);
      } finally {
        await second.close();
      }
    } finally {
      await fresh.dispose();
    }
  });
});
