import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db";
import type { Inbox, User } from "@/lib/db/schema";
import { onCustomerMessage } from "@/lib/domain/sla";
import { rooms } from "@/lib/realtime/events";
import { publish } from "@/lib/realtime/publish";
import { runSlaTick } from "@/lib/workers/sla-ticker";
import { setupTestDatabase } from "../../support/db";
import { addMember, createConversation, createInbox, createUser } from "../../support/factories";
import { listenToRoom, type SocketListener } from "../../support/socket-listener";
import { at } from "../../support/sla";

const database = setupTestDatabase();

let support: Inbox;
let sales: Inbox;
let supervisor: User;
let agent: User;
let otherSupervisor: User;
let listener: SocketListener | undefined;

beforeAll(async () => {
  const { db } = database().handle;
  support = await createInbox(db, { timeZone: "UTC" });
  sales = await createInbox(db, { timeZone: "UTC" });
  supervisor = await createUser(db, { name: "Sam Supervisor", role: "supervisor" });
  agent = await createUser(db, { name: "Dana Agent", role: "agent" });
  otherSupervisor = await createUser(db, { name: "Olly Other", role: "supervisor" });
  await addMember(db, support.id, supervisor.id);
  await addMember(db, support.id, agent.id);
  await addMember(db, sales.id, otherSupervisor.id);
});

afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

/** A clock in `inbox` that arrived Monday 10:00 UTC; due Wednesday 16:00 on the default calendar. */
async function clockIn(db: Database, inbox: Inbox) {
  const conversation = await createConversation(db, inbox.id);
  await db.transaction((tx) =>
    onCustomerMessage(tx, {
      conversationId: conversation.id,
      inboxId: inbox.id,
      arrivedAt: at("2026-11-16T10:00:00Z"),
    }),
  );
  return conversation;
}

describe("the live breach alert", () => {
  it("reaches the supervisors of the breached inbox in their own room", async () => {
    const { db } = database().handle;
    const conversation = await clockIn(db, support);
    listener = await listenToRoom(rooms.user(supervisor.id));
    await runSlaTick({ db, now: at("2026-11-18T16:01:00Z") });
    const alert = await listener.waitFor((event) => event.name === "sla.alert");
    expect(alert.payload).toMatchObject({ conversationId: conversation.id, inboxId: support.id });
  });

  it("does not reach an agent of that inbox, nor a supervisor of another inbox", async () => {
    const { db } = database().handle;
    for (const user of [agent, otherSupervisor]) {
      await clockIn(db, support);
      listener = await listenToRoom(rooms.user(user.id));
      const { marked } = await runSlaTick({ db, now: at("2026-11-18T16:01:00Z") });
      expect(marked).toHaveLength(1);
      // A marker sent to the same room after the tick proves the room was listening.
      publish.sessionEnded(user.id, "marker");
      await listener.waitFor((event) => event.name === "session.ended");
      expect(listener.events.filter((event) => event.name === "sla.alert")).toEqual([]);
      await listener.close();
      listener = undefined;
    }
  });
});
