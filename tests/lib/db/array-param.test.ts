import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { arrayParam } from "@/lib/db/array-param";
import { queryRows } from "@/lib/db/raw";
import { setupTestDatabase } from "../../support/db";

const database = setupTestDatabase();

describe("arrayParam", () => {
  it("passes any text through as one array parameter, element for element", async () => {
    const values = [
      "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQTdFMkY=",
      'a "quoted" word',
      'back\\slash and \\" both',
      "comma, {braces} and spaces",
      "NULL",
      "",
      "Привет 👋",
    ];
    const rows = await queryRows<{ value: string }>(
      database().handle.db,
      sql`select unnest(${arrayParam(values, "text")}) as value`,
    );
    expect(rows.map((row) => row.value)).toEqual(values);
  });

  it("casts to the type asked for, so it compares with uuid and bigint columns", async () => {
    const rows = await queryRows<{ ids: string; uuids: string }>(
      database().handle.db,
      sql`select (select sum(x)::text from unnest(${arrayParam([1, 2, 9007199254740993n], "bigint")}) x) as ids,
                 (select count(*)::text from unnest(${arrayParam(["6f1c1d0e-3f7a-4b7e-9a53-2c1c6a0b8f11"], "uuid")}) u
                   where u = '6f1c1d0e-3f7a-4b7e-9a53-2c1c6a0b8f11'::uuid) as uuids`,
    );
    expect(rows[0]).toEqual({ ids: "9007199254740996", uuids: "1" });
  });
});
