import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import { inboxes, messages, outbox, simulatorMessages, type Inbox, type User } from "@/lib/db/schema";
import { sendMessage } from "@/lib/domain/messages";
import type { SimulatorFailureInput } from "@/lib/whatsapp/simulator/control";
import { actorFor, addMember, createConversation, createUser, ctxFor } from "../support/factories";
import {
  SUPPORT_NUMBER,
  eventually,
  freePort,
  freshDatabase,
  openHandle,
  recordResult,
  startParley,
  type Parley,
} from "./support";

const REPLIES_PER_CASE = 6;
const FAILURES_PER_CASE = 4;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let handle: DatabaseHandle;
let parley: Parley;
let inbox: Inbox;
let agent: User;
const totals = { cases: 0, replies: 0, failuresInjected: 0, sentOnce: 0 };

beforeAll(async () => {
  database = await freshDatabase();
  parley = await startParley({ databaseUrl: database.url, port: await freePort() });
  handle = await openHandle(database.url);
  const [support] = await handle.db.select().from(inboxes).where(eq(inboxes.phoneNumberId, SUPPORT_NUMBER));
  if (!support) throw new Error("the demo seed has no Support inbox");
  inbox = support;
  agent = await createUser(handle.db, { name: "Fault Agent" });
  await addMember(handle.db, inbox.id, agent.id);
});

afterAll(async () => {
  recordResult("graph-failures", totals);
  await parley?.stop();
  await handle?.close();
  await database?.drop();
});

async function setFailure(input: SimulatorFailureInput) {
  const response = await fetch(`${parley.url}/api/simulator/failure`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  expect(response.status).toBe(200);
}

async function failuresLeft(): Promise<unknown> {
  const response = await fetch(`${parley.url}/api/simulator/failure`);
  return ((await response.json()) as { kind: string }).kind;
}

const cases: [string, SimulatorFailureInput][] = [
  ["HTTP 500", { kind: "server_error", times: FAILURES_PER_CASE }],
  ["no answer (timeout)", { kind: "timeout", times: FAILURES_PER_CASE }],
  ["130429 throughput limit", { kind: "graph_error", code: 130429, times: FAILURES_PER_CASE }],
  ["a dropped connection", { kind: "drop_connection", times: FAILURES_PER_CASE }],
  ["accepted, then the answer lost", { kind: "accept_then_timeout", times: FAILURES_PER_CASE }],
  ["accepted, then the connection dropped", { kind: "accept_then_drop", times: FAILURES_PER_CASE }],
];

describe("the Graph API failing while replies are queued", () => {
  it.each(cases)("sends every queued reply exactly once after %s", async (_label, failure) => {
    await setFailure(failure);
    const now = new Date();
    const sent: string[] = [];
    for (let index = 0; index < REPLIES_PER_CASE; index += 1) {
      // Each in its own conversation, so the sender works on them side by side.
      const conversation = await createConversation(handle.db, inbox.id, {
        windowExpiresAt: new Date(now.getTime() + 3_600_000),
      });
      const message = await sendMessage({
        ctx: ctxFor(handle.db, actorFor(agent), now),
        input: { type: "text", conversationId: conversation.id, body: `Thank you, we are on it (${index}).` },
      });
      sent.push(message.id);
    }

    const settled = await eventually(async () => {
      const rows = await handle.db.select().from(messages).where(inArray(messages.id, sent));
      return rows.every((row) => row.status !== "queued" && row.status !== "failed" && row.wamid);
    }, 90_000);
    const rows = await handle.db.select().from(messages).where(inArray(messages.id, sent));
    const jobs = await handle.db.select().from(outbox).where(inArray(outbox.messageId, sent));
    const received = await handle.db
      .select()
      .from(simulatorMessages)
      .where(
        inArray(
          simulatorMessages.idempotencyKey,
          jobs.map((job) => job.id),
        ),
      );

    totals.cases += 1;
    totals.replies += sent.length;
    totals.failuresInjected += FAILURES_PER_CASE;
    totals.sentOnce += received.length;
    expect(settled, JSON.stringify(rows.map((row) => [row.status, row.failureReason]))).toBe(true);
    // Every failure was really served: the switch has run out.
    expect(await failuresLeft()).toBe("none");
    // The customer's phone holds each reply once, under the wamid Parley recorded.
    expect(received).toHaveLength(sent.length);
    expect(new Set(received.map((row) => row.wamid))).toEqual(new Set(rows.map((row) => row.wamid)));
    expect(jobs.every((job) => job.status === "done")).toBe(true);
    expect(jobs.some((job) => job.attempts > 1)).toBe(true);
  });
});
