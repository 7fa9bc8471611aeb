import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, inArray } from "drizzle-orm";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unbatch } from "@/lib/client/socket";
import type { Database } from "@/lib/db";
import { conversations, slaEvents, type Inbox, type User } from "@/lib/db/schema";
import { onCustomerMessage } from "@/lib/domain/sla";
import type { ClientToServerEvents, SlaBreachedEvent, ServerToClientEvents } from "@/lib/realtime/events";
import { rooms } from "@/lib/realtime/events";
import { flushRealtime, setRealtimeServer, type ParleyIo } from "@/lib/realtime/publish";
import { runSlaTick, startSlaTicker, type SlaTickResult } from "@/lib/workers/sla-ticker";
import { setupTestDatabase } from "../../support/db";
import { createConversation, createInbox, createUser } from "../../support/factories";
import { at } from "../../support/sla";

const database = setupTestDatabase();

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let http: HttpServer;
let io: ParleyIo;
let url: string;
let supervisor: User;
const clients: Client[] = [];

beforeAll(async () => {
  const { db } = database().handle;
  supervisor = await createUser(db, { name: "Sam Supervisor", role: "supervisor" });
  http = createServer();
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  io = new Server(http, { path: "/socket.io" });
  // Stand-in for the session middleware: the test names the inbox rooms the socket joins.
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { inboxIds?: string[] };
    for (const inboxId of auth.inboxIds ?? []) void socket.join(rooms.inbox(inboxId));
    next();
  });
  setRealtimeServer(io);
});

afterAll(async () => {
  setRealtimeServer(undefined);
  for (const client of clients) client.close();
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});

/** A supervisor's browser in an inbox's room, collecting the breaches it is told about. */
async function watch(inbox: Inbox): Promise<{ breaches: SlaBreachedEvent[]; settled: () => Promise<void> }> {
  const socket: Client = connect(url, {
    path: "/socket.io",
    transports: ["websocket"],
    auth: { inboxIds: [inbox.id] },
    reconnection: false,
  });
  clients.push(socket);
  const breaches: SlaBreachedEvent[] = [];
  unbatch(socket);
  socket.on("sla.breached", (event) => breaches.push(event));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  let marker = 0;
  return {
    breaches,
    // Events reach one socket in order: once a marker sent after the ticks arrives, so has everything before it.
    settled: () =>
      new Promise<void>((resolve) => {
        marker += 1;
        const id = `marker-${marker}`;
        const onPresence = (event: { conversationId: string }) => {
          if (event.conversationId !== id) return;
          socket.off("presence", onPresence);
          resolve();
        };
        socket.on("presence", onPresence);
        // Inbox events may wait for their frame (InboxFrames); send them first, then the marker.
        flushRealtime();
        io.to(rooms.inbox(inbox.id)).emit("presence", { conversationId: id, viewers: [], typing: [] });
      }),
  };
}

/** Arrived Monday 2026-03-02 10:00 in London: due Wednesday 2026-03-04 16:00. */
const due = at("2026-03-04T16:00:00Z");

async function startClocks(db: Database, inbox: Inbox, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const conversation = await createConversation(db, inbox.id, { assigneeId: supervisor.id });
    await db.transaction((tx) =>
      onCustomerMessage(tx, {
        conversationId: conversation.id,
        inboxId: inbox.id,
        arrivedAt: at("2026-03-02T10:00:00Z"),
      }),
    );
    ids.push(conversation.id);
  }
  return ids;
}

describe("the SLA ticker", () => {
  it("leaves a clock alone at its deadline and marks it just after, once, with its conversation", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { name: "Pinned", timeZone: "Europe/London" });
    const watcher = await watch(inbox);
    const [conversationId] = await startClocks(db, inbox, 1);

    expect((await runSlaTick({ db, now: due })).marked).toEqual([]);
    const justAfter = new Date(due.getTime() + 1);
    const first = await runSlaTick({ db, now: justAfter });
    expect(first.marked).toHaveLength(1);
    expect(first.marked[0]).toMatchObject({
      conversationId,
      inboxId: inbox.id,
      inboxName: "Pinned",
      kind: "first_response",
      dueAt: due.toISOString(),
      breachedAt: justAfter.toISOString(),
      assigneeId: supervisor.id,
      assigneeName: "Sam Supervisor",
    });
    expect((await runSlaTick({ db, now: at("2026-03-05T09:00:00Z") })).marked).toEqual([]);

    const [clock] = await db
      .select()
      .from(slaEvents)
      .where(eq(slaEvents.conversationId, conversationId ?? ""));
    expect(clock?.breachedAt).toEqual(justAfter);
    expect(clock?.metAt).toBeNull();
    const [conversation] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId ?? ""));
    expect(conversation?.slaBreachedAt).toEqual(justAfter);

    await watcher.settled();
    expect(watcher.breaches.map((breach) => breach.conversationId)).toEqual([conversationId]);
  });

  it("marks each breach once when two ticks run at the same time, and publishes only what each marked", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { name: "Busy", timeZone: "Europe/London" });
    const watcher = await watch(inbox);
    const ids = await startClocks(db, inbox, 12);

    const later = at("2026-03-04T17:00:00Z");
    const results = await Promise.all([
      runSlaTick({ db, now: later, limit: 5 }),
      runSlaTick({ db, now: later, limit: 5 }),
      runSlaTick({ db, now: later }),
      runSlaTick({ db, now: later }),
    ]);
    const marked = results.flatMap((result) => result.marked.map((breach) => breach.conversationId));
    expect(marked).toHaveLength(12);
    expect(new Set(marked)).toEqual(new Set(ids));

    const rows = await db.select().from(slaEvents).where(inArray(slaEvents.conversationId, ids));
    expect(rows.every((row) => row.breachedAt?.getTime() === later.getTime())).toBe(true);

    await watcher.settled();
    expect(watcher.breaches).toHaveLength(12);
    expect(new Set(watcher.breaches.map((breach) => breach.conversationId))).toEqual(new Set(ids));
  });

  it("publishes a breach only to its own inbox's room", async () => {
    const { db } = database().handle;
    const mine = await createInbox(db, { timeZone: "Europe/London" });
    const other = await createInbox(db, { timeZone: "Europe/London" });
    const watcher = await watch(mine);
    await startClocks(db, other, 1);
    const result = await runSlaTick({ db, now: at("2026-03-04T17:00:00Z") });
    expect(result.marked.some((breach) => breach.inboxId === other.id)).toBe(true);
    await watcher.settled();
    expect(watcher.breaches).toEqual([]);
  });

  it("runs as a worker: ticks at once on start, and stop waits for the tick in flight", async () => {
    const { db } = database().handle;
    const inbox = await createInbox(db, { timeZone: "Europe/London" });
    const [conversationId] = await startClocks(db, inbox, 1);
    const ticks: (SlaTickResult | { error: unknown })[] = [];
    let firstTick: () => void = () => undefined;
    const ticked = new Promise<void>((resolve) => (firstTick = resolve));
    const ticker = startSlaTicker({
      intervalMs: 60_000,
      database: () => Promise.resolve(db),
      clock: () => at("2026-03-04T17:00:00Z"),
      onTick: (result) => {
        ticks.push(result);
        firstTick();
      },
    });
    await ticked;
    await ticker.stop();
    expect(ticks).toHaveLength(1);
    const [result] = ticks;
    expect(result && "marked" in result ? result.marked.map((breach) => breach.conversationId) : []).toEqual([
      conversationId,
    ]);
  });

  it("keeps going after a failing tick and reports the failure", async () => {
    let failures = 0;
    let failed: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (failed = resolve));
    const ticker = startSlaTicker({
      intervalMs: 60_000,
      database: () => Promise.reject(new Error("database is down")),
      onTick: (result) => {
        if ("error" in result) failures += 1;
        failed();
      },
    });
    await done;
    await ticker.stop();
    expect(failures).toBe(1);
  });
});
