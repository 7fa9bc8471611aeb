import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
import { setupTestDatabase } from "../support/db";

const database = setupTestDatabase();

afterEach(() => clearDatabaseHandle());

describe("GET /api/health", () => {
  it("says ok when the database answers", async () => {
    setDatabaseHandle(database().handle);
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 with db down when the database cannot be reached", async () => {
    // Nothing listens on port 1: the connection is refused.
    const unreachable = await openDatabase({
      driver: "postgres",
      url: "postgres://postgres@127.0.0.1:1/none",
    });
    setDatabaseHandle(unreachable);
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "error", db: "down" });
    } finally {
      await unreachable.close();
    }
  });
});
