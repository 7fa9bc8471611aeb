import { QueryClient, type InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { inboxKeys } from "@/components/inbox/queries";
import type { Conversation, ConversationListPage, ListFilters, Thread } from "@/components/inbox/types";
import {
  applyConversationChange,
  applyConversationEvent,
  applyMessage,
  applyMessageCreated,
  applyMessageStatus,
  applySlaBreach,
  applySlaChange,
} from "@/components/inbox/use-inbox-socket";
import type { ConversationChangedEvent, MessageDto, SlaClockDto } from "@/lib/realtime/events";

const conversationId = "11111111-1111-4111-8111-111111111111";
const inboxId = "22222222-2222-4222-8222-222222222222";
const me = "33333333-3333-4333-8333-333333333333";
const filters: ListFilters = { view: "all", status: "open", sort: "waiting" };

function message(overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: "44444444-4444-4444-8444-444444444444",
    conversationId,
    inboxId,
    direction: "inbound",
    authorKind: "contact",
    authorId: null,
    type: "text",
    body: "Where is my order?",
    payload: null,
    wamid: "wamid.1",
    status: "received",
    errorCode: null,
    errorTitle: null,
    isPrivateNote: false,
    replyToWamid: null,
    createdAt: "2026-11-22T10:00:00.000Z",
    statusUpdatedAt: null,
    failureReason: null,
    retriedByMessageId: null,
    redactedAt: null,
    ...overrides,
  };
}

/** Parley's automatic off-hours notice, a second after the customer's message. */
function offHoursNotice(): MessageDto {
  return message({
    id: "55555555-5555-4555-8555-555555555555",
    direction: "outbound",
    authorKind: "system",
    payload: { system: "off_hours_reply" },
    body: "Thank you for your message. We will reply when we are back on Monday at 9:00.",
    createdAt: "2026-11-22T10:00:01.000Z",
  });
}

/** The conversation state the server sends, by default the seeded row's as it is. */
function changed(overrides: Partial<ConversationChangedEvent> = {}): ConversationChangedEvent {
  return {
    conversationId,
    inboxId,
    status: "open",
    assigneeId: null,
    updatedAt: "2026-11-22T10:00:00.000Z",
    waitingSince: null,
    lastMessageAt: "2026-11-22T09:00:00.000Z",
    lastMessagePreview: "Hi",
    unreadCount: 0,
    windowExpiresAt: null,
    ...overrides,
  };
}

function seeded() {
  const client = new QueryClient();
  const thread: InfiniteData<Thread, string | undefined> = {
    pages: [{ messages: [], events: [], previousCursor: null }],
    pageParams: [undefined],
  };
  client.setQueryData(inboxKeys.thread(conversationId), thread);
  const list: InfiniteData<ConversationListPage, string | undefined> = {
    pages: [
      {
        items: [
          {
            id: conversationId,
            inboxId,
            status: "open",
            assigneeId: null,
            unreadCount: 0,
            lastMessageAt: "2026-11-22T09:00:00.000Z",
            lastMessagePreview: "Hi",
            waitingSince: null,
            windowExpiresAt: null,
            contact: { id: "c", name: "Maria", waId: "1555" },
            sla: null,
          },
        ],
        nextCursor: null,
      },
    ],
    pageParams: [undefined],
  };
  client.setQueryData(inboxKeys.list(filters), list);
  return client;
}

const threadOf = (client: QueryClient) =>
  client.getQueryData<InfiniteData<Thread, string | undefined>>(inboxKeys.thread(conversationId))?.pages[0];
const itemOf = (client: QueryClient) =>
  client.getQueryData<InfiniteData<ConversationListPage, string | undefined>>(inboxKeys.list(filters))
    ?.pages[0]?.items[0];

describe("patching the inbox cache from socket events", () => {
  it("adds a new message to the open thread once, however often it is announced", () => {
    const client = seeded();
    let refetches = 0;
    applyMessage(client, message(), () => (refetches += 1));
    applyMessage(client, message(), () => (refetches += 1));
    expect(threadOf(client)?.messages.map((m) => m.id)).toEqual([message().id]);
    expect(refetches).toBe(0);
  });

  it("moves delivery ticks only forward when status events arrive out of order", () => {
    const client = seeded();
    const reply = message({ direction: "outbound", authorKind: "agent", status: "sent" });
    applyMessage(client, reply, () => {});
    const statusEvent = (status: MessageDto["status"]) => ({
      messageId: reply.id,
      conversationId,
      inboxId,
      wamid: reply.wamid,
      status,
      errorCode: null,
      errorTitle: null,
      failureReason: null,
      statusUpdatedAt: "2026-11-22T10:01:00.000Z",
      retriedByMessageId: null,
    });
    applyMessageStatus(client, statusEvent("read"));
    applyMessageStatus(client, statusEvent("delivered"));
    expect(threadOf(client)?.messages[0]?.status).toBe("read");
    applyMessageStatus(client, statusEvent("failed"));
    applyMessageStatus(client, statusEvent("read"));
    expect(threadOf(client)?.messages[0]?.status).toBe("failed");
  });

  it("updates the list row: preview, unread count and waiting time", () => {
    const client = seeded();
    applyMessage(client, message(), () => undefined);
    expect(itemOf(client)).toMatchObject({
      lastMessagePreview: "Where is my order?",
      unreadCount: 1,
      waitingSince: "2026-11-22T10:00:00.000Z",
      lastMessageAt: "2026-11-22T10:00:00.000Z",
    });
    applyMessage(
      client,
      message({
        id: "55555555-5555-4555-8555-555555555555",
        direction: "outbound",
        authorKind: "agent",
        body: "On its way",
      }),
      () => undefined,
    );
    expect(itemOf(client)).toMatchObject({
      lastMessagePreview: "On its way",
      waitingSince: null,
      unreadCount: 1,
    });
  });

  it("counts only what the customer wrote as unread, not WhatsApp's notices in the thread", () => {
    const client = seeded();
    applyMessage(
      client,
      message({
        id: "77777777-7777-4777-8777-777777777777",
        authorKind: "system",
        type: "system",
        body: "The customer changed their phone number to +44 7700 900123.",
      }),
      () => undefined,
    );
    expect(itemOf(client)?.unreadCount).toBe(0);
    applyMessage(client, message(), () => undefined);
    expect(itemOf(client)?.unreadCount).toBe(1);
  });

  it("keeps the customer waiting after Parley's automatic reply and stops the wait at an agent's", () => {
    const client = seeded();
    applyMessage(client, message(), () => undefined);
    applyMessage(client, offHoursNotice(), () => undefined);
    expect(itemOf(client)?.waitingSince).toBe("2026-11-22T10:00:00.000Z");
    applyMessage(
      client,
      message({
        id: "66666666-6666-4666-8666-666666666666",
        direction: "outbound",
        authorKind: "agent",
        authorId: me,
        body: "On its way",
      }),
      () => undefined,
    );
    expect(itemOf(client)?.waitingSince).toBeNull();
  });

  it("takes the waiting time from the conversation state a message or a change carries", () => {
    const client = seeded();
    client.setQueryData(inboxKeys.conversation(conversationId), {
      id: conversationId,
      status: "open",
      assigneeId: null,
      assignee: null,
      waitingSince: null,
    });
    const waitingSince = "2026-11-22T09:58:00.000Z";
    const conversation = changed({ updatedAt: "2026-11-22T10:00:01.000Z", waitingSince });
    // A STOP confirmation: the server says the customer still waits since 09:58.
    const confirmation = message({
      id: "55555555-5555-4555-8555-555555555555",
      direction: "outbound",
      authorKind: "system",
      payload: { consentConfirmation: "opt_out" },
      body: "You will no longer receive messages from us.",
    });
    applyMessageCreated(client, { ...confirmation, conversation }, me, () => undefined);
    expect(itemOf(client)?.waitingSince).toBe(waitingSince);
    expect(client.getQueryData<Conversation>(inboxKeys.conversation(conversationId))?.waitingSince).toBe(
      waitingSince,
    );

    applyConversationChange(client, { ...conversation, waitingSince: null }, me, () => undefined);
    expect(itemOf(client)?.waitingSince).toBeNull();
    expect(
      client.getQueryData<Conversation>(inboxKeys.conversation(conversationId))?.waitingSince,
    ).toBeNull();
  });

  it("shows the server's preview when the off-hours notice carries the conversation's state", () => {
    const client = seeded();
    const customer = message();
    const conversation = changed({
      updatedAt: "2026-11-22T10:00:01.000Z",
      waitingSince: customer.createdAt,
      lastMessageAt: customer.createdAt,
      lastMessagePreview: "Where is my order?",
      unreadCount: 1,
    });
    applyMessageCreated(client, customer, me, () => undefined);
    // The notice is the last message stored, so the conversation's state rides on it.
    applyMessageCreated(client, { ...offHoursNotice(), conversation }, me, () => undefined);
    expect(itemOf(client)).toMatchObject({
      lastMessagePreview: "Where is my order?",
      lastMessageAt: customer.createdAt,
      unreadCount: 1,
      waitingSince: customer.createdAt,
    });
  });

  it("keeps private notes out of the list preview", () => {
    const client = seeded();
    applyMessage(client, message({ isPrivateNote: true, type: "note", body: "internal" }), () => undefined);
    expect(itemOf(client)?.lastMessagePreview).toBe("Hi");
    expect(threadOf(client)?.messages).toHaveLength(1);
  });

  it("asks for one refetch when a message belongs to a conversation the list has not loaded", () => {
    const client = seeded();
    let refetches = 0;
    applyMessage(
      client,
      message({ conversationId: "66666666-6666-4666-8666-666666666666" }),
      () => (refetches += 1),
    );
    expect(refetches).toBe(1);
  });

  it("removes a conversation from a list it no longer matches and keeps it where it does", () => {
    const client = seeded();
    const change = changed({ status: "resolved", updatedAt: "2026-11-22T10:05:00.000Z" });
    applyConversationChange(client, change, me, () => undefined);
    expect(itemOf(client)).toBeUndefined();

    const other = seeded();
    applyConversationChange(other, { ...change, status: "open", assigneeId: me }, me, () => undefined);
    expect(itemOf(other)?.assigneeId).toBe(me);
  });

  it("adds a thread line once", () => {
    const client = seeded();
    const event = {
      id: 7,
      conversationId,
      inboxId,
      kind: "assigned" as const,
      actorId: me,
      details: { by: "Dana", to: "Sam" },
      createdAt: "2026-11-22T10:06:00.000Z",
    };
    applyConversationEvent(client, event);
    applyConversationEvent(client, event);
    expect(threadOf(client)?.events.map((e) => e.id)).toEqual([7]);
  });

  it("puts a started clock on the row, marks its breach, clears it when met, and refetches SLA-filtered lists", () => {
    const client = seeded();
    const breachedOnly: ListFilters = { ...filters, sla: "breached" };
    client.setQueryData(inboxKeys.list(breachedOnly), {
      pages: [{ items: [], nextCursor: null }],
      pageParams: [undefined],
    });
    let refetches = 0;
    const clock = {
      slaEventId: "55555555-5555-4555-8555-555555555555",
      kind: "first_response" as const,
      startedAt: "2026-11-22T09:00:00.000Z",
      dueAt: "2026-11-23T09:00:00.000Z",
      atRiskAt: "2026-11-23T07:00:00.000Z",
      breachedAt: null,
    };
    applySlaChange(client, { conversationId, inboxId, sla: clock }, () => (refetches += 1));
    expect(itemOf(client)?.sla).toEqual({
      kind: "first_response",
      startedAt: clock.startedAt,
      dueAt: clock.dueAt,
      atRiskAt: clock.atRiskAt,
      breachedAt: null,
    });
    applySlaBreach(
      client,
      {
        slaEventId: clock.slaEventId,
        conversationId,
        inboxId,
        inboxName: "Support",
        kind: "first_response",
        dueAt: clock.dueAt,
        breachedAt: "2026-11-23T09:00:05.000Z",
        contactName: "Maria",
        assigneeId: null,
        assigneeName: null,
      },
      () => (refetches += 1),
    );
    expect(itemOf(client)?.sla?.breachedAt).toBe("2026-11-23T09:00:05.000Z");
    applySlaChange(client, { conversationId, inboxId, sla: null }, () => (refetches += 1));
    expect(itemOf(client)?.sla).toBeNull();
    expect(refetches).toBe(3);
  });

  it("applies a message carrying its conversation and clock as the three separate events would", () => {
    const conversation = changed({
      waitingSince: "2026-11-22T10:00:00.000Z",
      lastMessageAt: "2026-11-22T10:00:00.000Z",
      lastMessagePreview: "Where is my order?",
      unreadCount: 3,
      windowExpiresAt: "2026-11-23T10:00:00.000Z",
    });
    const sla: SlaClockDto = {
      slaEventId: "55555555-5555-4555-8555-555555555555",
      kind: "next_response",
      startedAt: "2026-11-22T10:00:00.000Z",
      dueAt: "2026-11-22T14:00:00.000Z",
      atRiskAt: "2026-11-22T13:00:00.000Z",
      breachedAt: null,
    };
    const separately = seeded();
    applyMessage(separately, message(), () => {});
    applyConversationChange(separately, conversation, me, () => {});
    applySlaChange(separately, { conversationId, inboxId, sla }, () => {});

    const together = seeded();
    let refetches = 0;
    applyMessageCreated(together, { ...message(), conversation, sla }, me, () => (refetches += 1));

    expect(itemOf(together)).toEqual(itemOf(separately));
    expect(itemOf(together)).toMatchObject({ unreadCount: 3, lastMessagePreview: "Where is my order?" });
    expect(itemOf(together)?.sla).toMatchObject({ kind: "next_response", dueAt: sla.dueAt });
    // The thread keeps the message alone, without the parts that rode on it.
    expect(threadOf(together)?.messages).toEqual([message()]);
    expect(refetches).toBe(0);

    // `sla: null` clears the clock (an agent's reply met it); no `sla` leaves it alone.
    const reply = message({
      id: "66666666-6666-4666-8666-666666666666",
      direction: "outbound",
      authorKind: "agent",
    });
    applyMessageCreated(
      together,
      { ...reply, conversation: { ...conversation, unreadCount: 0, waitingSince: null } },
      me,
      () => {},
    );
    expect(itemOf(together)?.sla).toMatchObject({ kind: "next_response" });
    applyMessageCreated(together, { ...reply, sla: null }, me, () => {});
    expect(itemOf(together)).toMatchObject({ sla: null, unreadCount: 0 });
  });
});
