import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import { sql } from "drizzle-orm";
import { queryRows } from "@/lib/db/raw";
import {
  eventually,
  freePort,
  freshDatabase,
  openHandle,
  postWebhook,
  recordResult,
  startParley,
  textMessageBody,
  type Parley,
} from "./support";

const KILLS = Number(process.env.FAULTS_KILLS ?? 20);
const SENDERS = 8;
const CUSTOMERS = 25;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let handle: DatabaseHandle | undefined;
let parley: Parley | undefined;

beforeAll(async () => {
  database = await freshDatabase();
});

afterAll(async () => {
  await parley?.crash();
  await handle?.close();
  await database.drop();
});

describe("the server killed with SIGKILL while webhooks stream in", () => {
  it(`keeps every webhook it acknowledged, once, across ${KILLS} kills`, async () => {
    const port = await freePort();
    parley = await startParley({ databaseUrl: database.url, port });
    const baseUrl = parley.url;
    const started = Math.floor(Date.now() / 1000);

    const acked = new Set<string>();
    // Like Meta, a delivery that got no 200 is delivered again later, byte for byte.
    const redeliver: string[] = [];
    let sequence = 0;
    let posts = 0;
    let refused = 0;
    let streaming = true;

    const bodyOf = (wamid: string, index: number) =>
      textMessageBody({
        wamid,
        from: `4479000${String(index % CUSTOMERS).padStart(5, "0")}`,
        text: `Order question ${wamid}`,
        timestamp: started,
      });
    const indexOf = new Map<string, number>();

    async function deliver(wamid: string): Promise<boolean> {
      posts += 1;
      const status = await postWebhook(baseUrl, bodyOf(wamid, indexOf.get(wamid) ?? 0));
      if (status === 200) {
        acked.add(wamid);
        return true;
      }
      refused += 1;
      return false;
    }

    async function sender() {
      while (streaming) {
        const retry = redeliver.shift();
        let wamid = retry;
        if (!wamid) {
          sequence += 1;
          wamid = `wamid.fault.kill.${sequence}`;
          indexOf.set(wamid, sequence);
        }
        if (!(await deliver(wamid))) {
          redeliver.push(wamid);
          await sleep(20);
        }
      }
    }

    const senders = Array.from({ length: SENDERS }, () => sender());
    let kills = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      // A random moment while deliveries are in flight, after the server has served some.
      await sleep(150 + Math.random() * 900);
      await parley.crash();
      kills += 1;
      parley = await startParley({ databaseUrl: database.url, port });
    }
    streaming = false;
    await Promise.all(senders);

    // Meta keeps redelivering what was never acknowledged; the last server is up for good.
    while (redeliver.length > 0) {
      const wamid = redeliver.shift() as string;
      if (!(await deliver(wamid))) {
        redeliver.push(wamid);
        await sleep(50);
      }
    }

    handle = await openHandle(database.url);
    const db = handle.db;
    const ackedIds = [...acked];
    const countRows = async () =>
      queryRows<{ wamid: string; copies: number }>(
        db,
        sql`select wamid, count(*)::int as copies from messages where wamid like 'wamid.fault.kill.%' group by wamid`,
      );
    // Accepted deliveries may still be processing in the background: wait for them, not forever.
    await eventually(async () => (await countRows()).length >= ackedIds.length, 60_000);
    const rows = await countRows();
    const stored = new Map(rows.map((row) => [row.wamid, row.copies]));
    const lost = ackedIds.filter((wamid) => !stored.has(wamid));
    const duplicated = rows.filter((row) => row.copies > 1);

    recordResult("sigkill", {
      kills,
      posts,
      refusedWhileDown: refused,
      acked: ackedIds.length,
      stored: rows.length,
      lost: lost.length,
      duplicated: duplicated.length,
    });
    expect(kills).toBe(KILLS);
    expect(ackedIds.length).toBeGreaterThan(KILLS);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    // Nothing was stored that Meta was not told about and did not deliver again until told.
    expect(rows.length).toBe(ackedIds.length);
  });
});
