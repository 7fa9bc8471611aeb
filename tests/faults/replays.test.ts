import { QueryClient, type InfiniteData } from "@tanstack/react-query";
import { and, eq, inArray, like } from "drizzle-orm";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import { inboxes, messages, messageStatuses, type Inbox } from "@/lib/db/schema";
import { inboxKeys } from "@/components/inbox/queries";
import type { Thread } from "@/components/inbox/types";
import { applyMessageStatus } from "@/components/inbox/use-inbox-socket";
import { toMessageDto, type MessageStatusEvent } from "@/lib/realtime/events";
import { createAccount, sessionCookie } from "../support/auth";
import { createConversation, createMessage } from "../support/factories";
import { onEachEvent } from "../support/socket-listener";
import {
  SUPPORT_NUMBER,
  eventually,
  freePort,
  freshDatabase,
  openHandle,
  postWebhook,
  recordResult,
  startParley,
  statusBody,
  textMessageBody,
  type Parley,
} from "./support";

const INBOUND = 600;
const OUTBOUND = 200; // × delivered and read = 400 status events
const CUSTOMERS = 60;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let handle: DatabaseHandle;
let parley: Parley;
let inbox: Inbox;
let socket: Socket | undefined;

beforeAll(async () => {
  database = await freshDatabase();
  parley = await startParley({ databaseUrl: database.url, port: await freePort() });
  handle = await openHandle(database.url);
  const [support] = await handle.db.select().from(inboxes).where(eq(inboxes.phoneNumberId, SUPPORT_NUMBER));
  if (!support) throw new Error("the demo seed has no Support inbox");
  inbox = support;
});

afterAll(async () => {
  socket?.disconnect();
  await parley?.stop();
  await handle?.close();
  await database?.drop();
});

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** Posts every body with `concurrency` in flight; each must be acknowledged with 200. */
async function deliverAll(baseUrl: string, bodies: string[], concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const status = await postWebhook(baseUrl, body);
        statuses.push(status === "error" ? 0 : status);
      }
    }),
  );
  return statuses;
}

describe("webhook replays", () => {
  it("the same 1,000 events again, shuffled and concurrent: no duplicate rows or socket events, no status backwards", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    // Replies the business sent earlier, whose statuses arrive as webhooks.
    const outbound: string[] = [];
    for (let index = 0; index < OUTBOUND; index += 1) {
      const conversation = await createConversation(handle.db, inbox.id);
      const wamid = `wamid.replay.out.${index}`;
      await createMessage(handle.db, conversation, {
        direction: "outbound",
        authorKind: "agent",
        body: "Your order has shipped.",
        wamid,
        status: "sent",
      });
      outbound.push(wamid);
    }
    const events = [
      ...Array.from({ length: INBOUND }, (_, index) =>
        textMessageBody({
          wamid: `wamid.replay.in.${index}`,
          from: `4479200${String(index % CUSTOMERS).padStart(5, "0")}`,
          text: `Question number ${index}`,
          timestamp: timestamp + index,
        }),
      ),
      ...outbound.flatMap((wamid, index) =>
        ["delivered", "read"].map((status, step) =>
          statusBody({ wamid, status, timestamp: timestamp + index + step, to: "447920000000" }),
        ),
      ),
    ];
    expect(events).toHaveLength(1_000);

    // An agent of the inbox with the inbox open in the browser: a real socket, a real session.
    const agent = await createAccount(handle.db, { role: "agent", inboxIds: [inbox.id] });
    const received: { name: string; payload: Record<string, unknown>; phase: number }[] = [];
    let phase = 0;
    socket = connect(parley.url, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { cookie: await sessionCookie(agent) },
    });
    onEachEvent(socket, (name, payload) =>
      received.push({ name, payload: payload as Record<string, unknown>, phase }),
    );
    await new Promise<void>((resolve, reject) => {
      socket?.on("connect", () => resolve());
      socket?.on("connect_error", reject);
    });
    // The socket is in the inbox's room once a message sent now reaches it.
    const warmUp = textMessageBody({
      wamid: "wamid.replay.warmup",
      from: "447920099999",
      text: "Hello",
      timestamp,
    });
    expect(await postWebhook(parley.url, warmUp)).toBe(200);
    const joined = await eventually(
      () =>
        received.some(
          (event) => event.name === "message.created" && event.payload.wamid === "wamid.replay.warmup",
        ),
      10_000,
      50,
    );
    expect(joined).toBe(true);

    phase = 1;
    const first = await deliverAll(parley.url, events, 8);
    const created = (event: (typeof received)[number]) =>
      event.name === "message.created" && String(event.payload.wamid).startsWith("wamid.replay.in.");
    await eventually(() => received.filter(created).length >= INBOUND, 30_000);
    const readRows = () =>
      handle.db
        .select()
        .from(messages)
        .where(and(inArray(messages.wamid, outbound), eq(messages.status, "read")));
    await eventually(async () => (await readRows()).length === OUTBOUND, 30_000);

    phase = 2;
    const second = await deliverAll(parley.url, shuffled(events), 16);
    // Let anything a replay might (wrongly) publish arrive before counting.
    const settleMarker = textMessageBody({
      wamid: "wamid.replay.marker",
      from: "447920099999",
      text: "Still there?",
      timestamp,
    });
    expect(await postWebhook(parley.url, settleMarker)).toBe(200);
    await eventually(
      () =>
        received.some(
          (event) => event.name === "message.created" && event.payload.wamid === "wamid.replay.marker",
        ),
      10_000,
      50,
    );

    const inboundRows = await handle.db
      .select()
      .from(messages)
      .where(like(messages.wamid, "wamid.replay.in.%"));
    const outboundRows = await handle.db.select().from(messages).where(inArray(messages.wamid, outbound));
    const createdPerWamid = new Map<string, number>();
    for (const event of received.filter(created)) {
      const wamid = String(event.payload.wamid);
      createdPerWamid.set(wamid, (createdPerWamid.get(wamid) ?? 0) + 1);
    }
    // Concurrent webhooks may publish in another order than they committed: count it, and replay
    // what the socket received through the browser's own cache patching, which must end on "read".
    const rank = (status: unknown) => messageStatuses.indexOf(status as (typeof messageStatuses)[number]);
    const seen = new Map<string, number[]>();
    const statusEvents = received.filter((item) => item.name === "message.status");
    for (const event of statusEvents) {
      const wamid = String(event.payload.wamid);
      seen.set(wamid, [...(seen.get(wamid) ?? []), rank(event.payload.status)]);
    }
    const outOfOrder = [...seen.values()].filter((ranks) =>
      ranks.some((value, index) => index > 0 && value < (ranks[index - 1] ?? 0)),
    ).length;
    const screens = outboundRows.map((row) => {
      const client = new QueryClient();
      const thread: InfiniteData<Thread, string | undefined> = {
        pages: [{ messages: [toMessageDto({ ...row, status: "sent" })], events: [], previousCursor: null }],
        pageParams: [undefined],
      };
      client.setQueryData(inboxKeys.thread(row.conversationId), thread);
      for (const event of statusEvents.filter((item) => item.payload.messageId === row.id)) {
        applyMessageStatus(client, event.payload as unknown as MessageStatusEvent);
      }
      return client.getQueryData<InfiniteData<Thread, string | undefined>>(
        inboxKeys.thread(row.conversationId),
      )?.pages[0]?.messages[0]?.status;
    });
    const replayEvents = received.filter(
      (event) => event.phase === 2 && (created(event) || event.name === "message.status"),
    );

    recordResult("replays", {
      events: events.length,
      deliveredTwice: first.length + second.length,
      non200: [...first, ...second].filter((status) => status !== 200).length,
      rows: inboundRows.length,
      duplicateRows: inboundRows.length - new Set(inboundRows.map((row) => row.wamid)).size,
      socketEventsFromReplay: replayEvents.length,
      statusEventsOutOfOrder: outOfOrder,
      shownBackwards: screens.filter((status) => status !== "read").length,
    });

    expect([...first, ...second].filter((status) => status !== 200)).toEqual([]);
    expect(inboundRows).toHaveLength(INBOUND);
    expect(new Set(inboundRows.map((row) => row.wamid)).size).toBe(INBOUND);
    expect(createdPerWamid.size).toBe(INBOUND);
    expect([...createdPerWamid.values()].every((count) => count === 1)).toBe(true);
    expect(outboundRows.map((row) => row.status)).toEqual(Array.from({ length: OUTBOUND }, () => "read"));
    expect(screens).toEqual(Array.from({ length: OUTBOUND }, () => "read"));
    expect(replayEvents).toEqual([]);
  });
});
