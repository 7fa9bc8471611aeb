import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
import { queryRows } from "@/lib/db/raw";
import { conversations, messages, webhookEvents, type Inbox } from "@/lib/db/schema";
import type { Ctx } from "@/lib/domain/context";
import { acceptWhatsAppWebhook, processQueuedWebhookEvents } from "@/lib/domain/webhooks/ingest";
import { drainWebhookQueue, webhookQueueSettled } from "@/lib/domain/webhooks/queue";
import { setupTestDatabase, testDatabaseUrl } from "../../../support/db";
import { createInbox } from "../../../support/factories";
import { textWebhook } from "../../../support/whatsapp";

const database = setupTestDatabase();
let inbox: Inbox;
let sequence = 0;

beforeAll(async () => {
  setDatabaseHandle(database().handle);
  inbox = await createInbox(database().handle.db, { phoneNumberId: "pn-queue" });
});
afterAll(() => clearDatabaseHandle());

const ctx = (): Ctx => ({
  actor: { kind: "system", reason: "test" },
  db: database().handle.db,
  now: new Date(),
});
const now = () => new Date();

function delivery(from: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  sequence += 1;
  const wamid = `wamid.queue.${sequence}.${Math.random().toString(36).slice(2)}`;
  return {
    wamid,
    rawBody: textWebhook({ phoneNumberId: inbox.phoneNumberId, wamid, from, body, timestamp }),
  };
}

async function storedWith(wamid: string) {
  return database().handle.db.select().from(messages).where(eq(messages.wamid, wamid));
}

async function accept(rawBody: string) {
  return acceptWhatsAppWebhook({ ctx: ctx(), input: { rawBody, signature: null } });
}

describe("the webhook queue", () => {
  it("acknowledges by storing the raw event only; a pass derives the message once", async () => {
    const { wamid, rawBody } = delivery("15557100001", "Where is my order?");
    const accepted = await accept(rawBody);
    expect(accepted.queued).toBe(true);
    const [queued] = await database()
      .handle.db.select()
      .from(webhookEvents)
      .where(eq(webhookEvents.id, accepted.eventId));
    expect(queued?.processedAt).toBeNull();
    expect(await storedWith(wamid)).toHaveLength(0);

    expect(await processQueuedWebhookEvents({ db: database().handle.db, now })).toBe(1);
    expect(await storedWith(wamid)).toHaveLength(1);
    const [processed] = await database()
      .handle.db.select()
      .from(webhookEvents)
      .where(eq(webhookEvents.id, accepted.eventId));
    expect(processed?.processedAt).toBeInstanceOf(Date);
    expect(processed?.error).toBeNull();
    expect(await processQueuedWebhookEvents({ db: database().handle.db, now })).toBe(0);
  });

  it.runIf(testDatabaseUrl)(
    "lets PostgreSQL reuse one plan for each statement of its passes, and for those only",
    async () => {
      // One pooled connection: the passes and the checks share its prepared statements.
      const handle = await openDatabase({ driver: "postgres", url: database().url as string, poolMax: 1 });
      try {
        for (let index = 0; index < 8; index += 1) {
          await accept(delivery(`1555710500${index}`, `plan ${index}`).rawBody);
          expect(await processQueuedWebhookEvents({ db: handle.db, now })).toBe(1);
        }
        const plans = await queryRows<{ statement: string; generic: string }>(
          handle.db,
          sql`select statement, generic_plans::text as generic from pg_prepared_statements`,
        );
        const generic = (start: string) =>
          plans.filter((row) => row.statement.startsWith(start) && Number(row.generic) > 0);
        // Past its fifth run a statement may run a generic plan, where PostgreSQL finds it no
        // dearer: the message's insert and its conversation's bookkeeping do.
        expect(generic(`insert into "messages"`)).toHaveLength(1);
        expect(generic(`update "conversations" set "status" = case`)).toHaveLength(1);
        // The setting ends with each pass: the connection's other statements are planned per run.
        const [after] = await queryRows<{ plan_cache_mode: string }>(handle.db, sql`show plan_cache_mode`);
        expect(after?.plan_cache_mode).toBe("force_custom_plan");
      } finally {
        await handle.close();
      }
    },
  );

  it("processes a customer's queued messages in arrival order, in batches, leaving none behind", async () => {
    const from = "15557100002";
    const sent = Math.floor(Date.now() / 1000);
    const deliveries = Array.from({ length: 7 }, (_, index) =>
      delivery(from, `message ${index}`, sent + index),
    );
    for (const { rawBody } of deliveries) await accept(rawBody);

    let passes = 0;
    while ((await processQueuedWebhookEvents({ db: database().handle.db, now, limit: 3 })) > 0) passes += 1;
    expect(passes).toBe(3);
    for (const { wamid } of deliveries) expect(await storedWith(wamid)).toHaveLength(1);
    const [conversation] = await database()
      .handle.db.select()
      .from(conversations)
      .innerJoin(messages, eq(messages.conversationId, conversations.id))
      .where(eq(messages.wamid, deliveries[0]?.wamid ?? ""));
    expect(conversation?.conversations.lastMessagePreview).toBe("message 6");
    expect(conversation?.conversations.unreadCount).toBe(7);
    const [left] = await database()
      .handle.db.select({ n: count() })
      .from(webhookEvents)
      .where(isNull(webhookEvents.processedAt));
    expect(left?.n).toBe(0);
  });

  it("processes a message with a card number before answering, so its unmasked original never waits in the queue", async () => {
    const { wamid, rawBody } = delivery("15557100003", "My card is 4111 1111 1111 1111, please refund");
    const accepted = await accept(rawBody);
    expect(accepted.queued).toBe(false);
    const [message] = await storedWith(wamid);
    expect(message?.body).not.toContain("4111 1111 1111 1111");
    const [event] = await database()
      .handle.db.select()
      .from(webhookEvents)
      .where(eq(webhookEvents.id, accepted.eventId));
    expect(event?.processedAt).toBeInstanceOf(Date);
    expect(event?.rawBody).not.toContain("4111 1111 1111 1111");
  });

  it("stores the rest of a batch when one event fails for good, and keeps that event's error", async () => {
    const { db } = database().handle;
    // A real failure inside PostgreSQL for one message of the batch.
    await db.execute(sql`create or replace function parley_test_poison() returns trigger as $$
      begin
        if new.body = 'poison' then raise exception 'poisoned message refused'; end if;
        return new;
      end $$ language plpgsql`);
    await db.execute(sql`create trigger parley_test_poison before insert on messages
      for each row execute function parley_test_poison()`);
    try {
      const before = delivery("15557100401", "first");
      const poison = delivery("15557100402", "poison");
      const after = delivery("15557100403", "last");
      const ids = [];
      for (const { rawBody } of [before, poison, after]) ids.push((await accept(rawBody)).eventId);

      expect(await processQueuedWebhookEvents({ db, now, limit: 10 })).toBe(3);
      expect(await storedWith(before.wamid)).toHaveLength(1);
      expect(await storedWith(after.wamid)).toHaveLength(1);
      expect(await storedWith(poison.wamid)).toHaveLength(0);
      const events = await db.select().from(webhookEvents).where(inArray(webhookEvents.id, ids));
      const byId = new Map(events.map((event) => [event.id, event]));
      expect(byId.get(ids[1] as number)?.error).toMatch(/Processing failed: .*poisoned message refused/);
      expect(byId.get(ids[0] as number)?.error).toBeNull();
      for (const event of events) expect(event.processedAt).toBeInstanceOf(Date);
    } finally {
      await db.execute(sql`drop trigger parley_test_poison on messages`);
    }
  });

  it("records a body nothing can be derived from with its error, processed at once", async () => {
    const accepted = await accept(JSON.stringify({ object: "page", entry: "not a list" }));
    expect(accepted.queued).toBe(false);
    const [event] = await database()
      .handle.db.select()
      .from(webhookEvents)
      .where(eq(webhookEvents.id, accepted.eventId));
    expect(event?.processedAt).toBeInstanceOf(Date);
    expect(event?.error).toEqual(expect.any(String));
  });

  it("drains in the background when told, and settles", async () => {
    const batch = Array.from({ length: 12 }, (_, index) =>
      delivery(`155571002${String(index).padStart(2, "0")}`, "hi"),
    );
    for (const { rawBody } of batch) await accept(rawBody);
    void drainWebhookQueue();
    void drainWebhookQueue(); // joins the pass in progress
    await webhookQueueSettled();
    for (const { wamid } of batch) expect(await storedWith(wamid)).toHaveLength(1);
  });

  it("answers a delivery that arrives while it drains a backlog before the backlog is done", async () => {
    const backlog = Array.from({ length: 60 }, (_, index) =>
      delivery(`155571040${String(index % 20).padStart(2, "0")}`, `backlog ${index}`),
    );
    for (const { rawBody } of backlog) await accept(rawBody);
    const finished: string[] = [];
    const drained = drainWebhookQueue().then(() => finished.push("backlog"));
    // A delivery reaches the server as socket data: it is read on a later turn of the event loop.
    const late = delivery("15557104099", "arrived while the queue was busy");
    const answered = new Promise((resolve) => setImmediate(resolve))
      .then(() => accept(late.rawBody))
      .then(() => finished.push("delivery"));
    await Promise.all([drained, answered]);
    await webhookQueueSettled();
    expect(finished).toEqual(["delivery", "backlog"]);
    for (const { wamid } of [...backlog, late]) expect(await storedWith(wamid)).toHaveLength(1);
  });

  it.runIf(testDatabaseUrl)(
    "splits the queue between two instances' workers: each event processed once, each message stored once",
    async () => {
      const url = database().url as string;
      const [a, b] = await Promise.all([
        openDatabase({ driver: "postgres", url, poolMax: 3 }),
        openDatabase({ driver: "postgres", url, poolMax: 3 }),
      ]);
      try {
        // 40 customers writing 5 messages each, queued in interleaved order.
        const batch = Array.from({ length: 200 }, (_, index) =>
          delivery(`155571030${String(index % 40).padStart(2, "0")}`, `m${index}`),
        );
        for (const { rawBody } of batch) await accept(rawBody);
        const worker = async (db: typeof a.db) => {
          let taken = 0;
          for (;;) {
            const n = await processQueuedWebhookEvents({ db, now, limit: 7 });
            if (n === 0) return taken;
            taken += n;
          }
        };
        const [byA, byB] = await Promise.all([worker(a.db), worker(b.db)]);
        expect(byA + byB).toBe(200);
        expect(byA).toBeGreaterThan(0);
        expect(byB).toBeGreaterThan(0);
        const rows = await database()
          .handle.db.select({ wamid: messages.wamid, n: count() })
          .from(messages)
          .where(and(eq(messages.inboxId, inbox.id), eq(messages.direction, "inbound")))
          .groupBy(messages.wamid)
          .orderBy(asc(messages.wamid));
        const copies = new Map(rows.map((row) => [row.wamid, row.n]));
        for (const { wamid } of batch) expect(copies.get(wamid)).toBe(1);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    },
  );
});
