import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import {
  consentEvents,
  contacts,
  conversations,
  messages,
  outbox,
  simulatorMessages,
  templates,
  type Conversation,
  type Inbox,
  type User,
} from "@/lib/db/schema";
import { enqueueOutboxIfAllowed, judgeOutbound } from "@/lib/domain/consents/gate";
import { redactConsentEvidence } from "@/lib/domain/consents/ledger";
import { PolicyBlockedError } from "@/lib/domain/errors";
import { sendMessage } from "@/lib/domain/messages";
import { textMessageRequest } from "@/lib/whatsapp/graph-client";
import { createGraphClient, type GraphClient } from "@/lib/whatsapp/graph-client";
import { handleGraphRequest } from "@/lib/whatsapp/simulator/graph-stand-in";
import { drainOutbox } from "@/lib/workers/outbox-sender";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, addMember, createUser, ctxFor, createInbox } from "../../../support/factories";
import { serveFetch, type TestServer } from "../../../support/http-server";
import { matching } from "../../../support/matchers";
import { listenToRoom } from "../../../support/socket-listener";
import { fixture, postWebhook, textWebhook } from "../../../support/whatsapp";

const database = setupTestDatabase();
const TOKEN = "consent-test-token";
const PHONE_NUMBER_ID = "1500000077";
let standIn: TestServer;
let graph: GraphClient;
let inbox: Inbox;
let agent: User;
let counter = 0;

beforeAll(async () => {
  const { db } = database().handle;
  setDatabaseHandle(database().handle);
  inbox = await createInbox(db, { phoneNumberId: PHONE_NUMBER_ID });
  agent = await createUser(db, { name: "Dana" });
  await addMember(db, inbox.id, agent.id);
  standIn = await serveFetch((request) =>
    handleGraphRequest(request, new URL(request.url).pathname.split("/").filter(Boolean).slice(1), {
      db,
      now: () => new Date(),
      accessToken: TOKEN,
      baseUrl: `${standIn.url}/graph`,
      hangMs: 10_000,
    }),
  );
  graph = createGraphClient({
    baseUrl: `${standIn.url}/graph`,
    version: "v23.0",
    accessToken: TOKEN,
    timeoutMs: 2_000,
  });
});

afterAll(async () => {
  await standIn.close();
  clearDatabaseHandle();
});

/** The customer writes (through the real, signed webhook route); returns their conversation. */
async function customerWrites(waId: string, body: string): Promise<Conversation> {
  counter += 1;
  const response = await postWebhook(
    textWebhook({
      phoneNumberId: PHONE_NUMBER_ID,
      wamid: `wamid.consent.${counter}`,
      from: waId,
      body,
      // One second apart, in order: WhatsApp's timestamps are whole seconds, and messages in the
      // same second as a STOP cannot be ordered against it.
      timestamp: Math.floor(Date.now() / 1000) - 600 + counter,
    }),
  );
  expect(response.status).toBe(200);
  const { db } = database().handle;
  const [row] = await db
    .select({ conversation: conversations })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(contacts.inboxId, inbox.id), eq(contacts.waId, waId)));
  if (!row) throw new Error("conversation missing");
  return row.conversation;
}

function reply(conversation: Conversation, body = "Thanks for writing.") {
  return sendMessage({
    ctx: ctxFor(database().handle.db, actorFor(agent), new Date()),
    input: { type: "text", conversationId: conversation.id, body },
  });
}

function drain() {
  return drainOutbox({ db: database().handle.db, graph, now: () => new Date(), random: () => 0.5 });
}

/** Everything that reached the Graph API stand-in addressed to this customer. */
async function sentTo(waId: string) {
  const rows = await database().handle.db.select().from(simulatorMessages);
  return rows.filter((row) => JSON.stringify(row.payload).includes(waId));
}

async function template(category: "utility" | "marketing") {
  const [row] = await database()
    .handle.db.insert(templates)
    .values({
      inboxId: inbox.id,
      name: `consent_${category}_${++counter}`,
      language: "en_US",
      category,
      status: "approved",
      parameterFormat: "named",
      body: "Hello",
      parameters: [],
    })
    .returning();
  if (!row) throw new Error("template missing");
  return row;
}

async function eventsOf(conversation: Conversation) {
  return database()
    .handle.db.select()
    .from(consentEvents)
    .where(eq(consentEvents.contactId, conversation.contactId));
}

describe("STOP in the webhook ingest", () => {
  it("records the opt-out at once, queues one confirmation, and lets nothing else reach WhatsApp", async () => {
    const waId = "15550900001";
    const first = await customerWrites(waId, "Where is my order?");
    const before = await reply(first, "Let me check that for you.");

    const stopped = await customerWrites(waId, "stop!!! 🛑");
    const events = await eventsOf(stopped);
    expect(events.map((event) => [event.purpose, event.action, event.source, event.evidence]).sort()).toEqual(
      [
        ["marketing", "opt_out", "inbound_keyword", "stop!!! 🛑"],
        ["service", "opt_out", "inbound_keyword", "stop!!! 🛑"],
      ],
    );
    const confirmations = await database()
      .handle.db.select()
      .from(outbox)
      .where(and(eq(outbox.conversationId, stopped.id), eq(outbox.isOptOutConfirmation, true)));
    expect(confirmations).toHaveLength(1);

    // Composer, template (utility and marketing) and automatic replies are refused.
    await expect(reply(stopped)).rejects.toThrow(PolicyBlockedError);
    await expect(reply(stopped)).rejects.toThrow(
      /opted out of all messages by replying with an opt-out keyword/,
    );
    for (const category of ["utility", "marketing"] as const) {
      const chosen = await template(category);
      await expect(
        sendMessage({
          ctx: ctxFor(database().handle.db, actorFor(agent), new Date()),
          input: { type: "template", conversationId: stopped.id, templateId: chosen.id, parameters: {} },
        }),
      ).rejects.toThrow(PolicyBlockedError);
    }
    const automatic = await database().handle.db.transaction((tx) =>
      enqueueOutboxIfAllowed(tx, {
        kind: "send_message",
        inboxId: inbox.id,
        conversationId: stopped.id,
        request: textMessageRequest({ to: { waId }, body: "We are closed now." }),
        now: new Date(),
      }),
    );
    expect(automatic).toBeNull();

    // The reply queued before the STOP is re-checked by the sender and fails with the reason.
    while ((await drain()) > 0);
    const [earlier] = await database().handle.db.select().from(messages).where(eq(messages.id, before.id));
    expect(earlier).toMatchObject({ status: "failed", failureReason: matching(/opted out/) });
    const reached = await sentTo(waId);
    expect(reached).toHaveLength(1);
    expect(JSON.stringify(reached[0]?.payload)).toContain("unsubscribed");
  });

  it("does not treat a sentence containing the word as an opt-out", async () => {
    const conversation = await customerWrites("15550900002", "please don't stop my order");
    expect(await eventsOf(conversation)).toEqual([]);
    await expect(reply(conversation)).resolves.toMatchObject({ status: "queued" });
    while ((await drain()) > 0);
  });

  it("lets agents answer a customer who writes again within the window, but never marketing", async () => {
    const waId = "15550900003";
    await customerWrites(waId, "STOP");
    const again = await customerWrites(waId, "Actually, where is my refund?");
    await expect(reply(again, "Your refund left today.")).resolves.toMatchObject({ status: "queued" });
    const marketing = await template("marketing");
    await expect(
      sendMessage({
        ctx: ctxFor(database().handle.db, actorFor(agent), new Date()),
        input: { type: "template", conversationId: again.id, templateId: marketing.id, parameters: {} },
      }),
    ).rejects.toThrow(/opted out of all messages/);
    while ((await drain()) > 0);
    // The confirmation and the answer; nothing else.
    expect(await sentTo(waId)).toHaveLength(2);
  });

  it("START opts back in to service, is confirmed, and lets replies through again", async () => {
    const waId = "15550900004";
    await customerWrites(waId, "СТОП");
    const started = await customerWrites(waId, "START");
    const judgement = await judgeOutbound(database().handle.db, {
      contactId: started.contactId,
      purpose: "service",
      kind: "free_form",
      windowOpen: true,
    });
    expect(judgement).toMatchObject({ allowed: true, consent: { service: { state: "opted_in" } } });
    expect(judgement.consent.marketing.state).toBe("opted_out");
    await expect(reply(started)).resolves.toMatchObject({ status: "queued" });
    while ((await drain()) > 0);
    const bodies = (await sentTo(waId)).map((row) => JSON.stringify(row.payload));
    expect(bodies).toHaveLength(3);
    expect(bodies.some((body) => body.includes("subscribed again"))).toBe(true);
  });

  it("publishes consent.changed to the inbox so open composers block live", async () => {
    const listener = await listenToRoom(`inbox:${inbox.id}`);
    try {
      const conversation = await customerWrites("15550900005", "UNSUBSCRIBE");
      const event = await listener.waitFor((received) => received.name === "consent.changed");
      expect(event.payload).toMatchObject({
        contactId: conversation.contactId,
        inboxId: inbox.id,
        conversationId: conversation.id,
        consent: { service: { state: "opted_out", source: "inbound_keyword" } },
      });
    } finally {
      await listener.close();
      while ((await drain()) > 0);
    }
  });
});

describe("WhatsApp user_preferences", () => {
  it("records a marketing opt-in from the user_preferences webhook", async () => {
    const { db } = database().handle;
    const sample = await createInbox(db, { phoneNumberId: "106540352242922" });
    const [contact] = await db
      .insert(contacts)
      .values({ inboxId: sample.id, waId: "16505551234" })
      .returning();
    if (!contact) throw new Error("contact missing");
    const response = await postWebhook(fixture("meta_user_preferences_marketing_resume.json"));
    expect(response.status).toBe(200);
    const events = await db.select().from(consentEvents).where(eq(consentEvents.contactId, contact.id));
    expect(events).toMatchObject([
      {
        purpose: "marketing",
        action: "opt_in",
        source: "user_preferences_webhook",
        evidence: "User requested to resume marketing messages",
      },
    ]);
  });
});

/** The database's own words for a refused statement (drizzle wraps them as the error's cause). */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
    return `${error instanceof Error ? error.message : String(error)} ${cause}`;
  }
  return "not refused";
}

describe("the ledger", () => {
  it("refuses UPDATE and DELETE, but lets erasure blank the evidence", async () => {
    const { db } = database().handle;
    const conversation = await customerWrites("15550900006", "stop");
    const ofContact = eq(consentEvents.contactId, conversation.contactId);
    expect(await refusal(db.update(consentEvents).set({ action: "opt_in" }).where(ofContact))).toMatch(
      /append-only: rows cannot be changed/,
    );
    expect(await refusal(db.update(consentEvents).set({ evidence: null }).where(ofContact))).toMatch(
      /append-only: rows cannot be changed/,
    );
    expect(await refusal(db.delete(consentEvents).where(ofContact))).toMatch(
      /append-only: rows cannot be deleted/,
    );
    // The redaction flag does not leak out of its function.
    const redactedAt = new Date();
    expect(await db.transaction((tx) => redactConsentEvidence(tx, conversation.contactId, redactedAt))).toBe(
      2,
    );
    const events = await eventsOf(conversation);
    expect(
      events.map((event) => [event.evidence, event.evidenceRedactedAt?.toISOString(), event.action]),
    ).toEqual([
      [null, redactedAt.toISOString(), "opt_out"],
      [null, redactedAt.toISOString(), "opt_out"],
    ]);
    expect(
      await refusal(
        db.transaction(async (tx) => {
          await redactConsentEvidence(tx, conversation.contactId, redactedAt);
          await tx.execute(
            sql`update consent_events set evidence = 'forged' where contact_id = ${conversation.contactId}`,
          );
        }),
      ),
    ).toMatch(/append-only/);
    while ((await drain()) > 0);
  });
});
