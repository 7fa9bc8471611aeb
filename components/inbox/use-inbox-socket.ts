"use client";

import { useQueryClient, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { acquireSocket, listen, releaseSocket, type ParleySocket } from "@/lib/client/socket";
import type {
  ConsentChangedEvent,
  ConversationChangedEvent,
  ConversationEventDto,
  MessageCreatedEvent,
  MessageDto,
  MessageStatusEvent,
  SlaBreachedEvent,
  SlaChangedEvent,
} from "@/lib/realtime/events";
import { inboxKeys } from "./queries";
import type { ContactConsentsView, Conversation, ConversationListPage, ListFilters, Thread } from "./types";

export type InboxSocket = ParleySocket;

type ListData = InfiniteData<ConversationListPage, string | undefined>;
type ThreadData = InfiniteData<Thread, string | undefined>;

function isListFilters(value: unknown): value is ListFilters {
  return typeof value === "object" && value !== null && "view" in value && "status" in value;
}

/** Whether a changed conversation still belongs in a list, when the list's filters can be judged here. */
function stillMatches(
  filters: ListFilters,
  change: ConversationChangedEvent,
  meId: string,
): boolean | "unknown" {
  // Text, label and response-time filters are judged by the server only.
  if (filters.q || filters.labelId || filters.sla) return "unknown";
  if (filters.status !== change.status) return false;
  if (filters.inboxId && filters.inboxId !== change.inboxId) return false;
  if (filters.view === "mine" && change.assigneeId !== meId) return false;
  if (filters.view === "unassigned" && change.assigneeId !== null) return false;
  return true;
}

/**
 * A list row's waiting time after a message, when no conversation state came with it (the server's
 * `waitingSince` replaces this when it does): the customer writing starts the wait, only an agent's
 * reply ends it. Parley's own automatic messages (off-hours notice, STOP/START) answer nobody.
 */
function waitingAfter(waitingSince: string | null, message: MessageDto): string | null {
  if (message.authorKind === "contact") return waitingSince ?? message.createdAt;
  if (message.authorKind === "agent") return null;
  return waitingSince;
}

/**
 * Patches the TanStack Query cache from socket events: no polling, no refetch per event. What
 * cannot be patched in place (a conversation new to a list) triggers one debounced refetch.
 */
export function applyMessage(client: QueryClient, message: MessageDto, scheduleRefetch: () => void) {
  client.setQueryData<ThreadData>(inboxKeys.thread(message.conversationId), (data) => {
    if (!data) return data;
    if (data.pages.some((page) => page.messages.some((m) => m.id === message.id))) return data;
    const [newest, ...older] = data.pages;
    if (!newest) return data;
    return { ...data, pages: [{ ...newest, messages: [...newest.messages, message] }, ...older] };
  });
  if (message.isPrivateNote) return;

  let found = false;
  for (const [key, data] of client.getQueriesData<ListData>({ queryKey: inboxKeys.lists })) {
    if (!data) continue;
    const pages = data.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => {
        if (item.id !== message.conversationId) return item;
        found = true;
        // As on the server: only what the customer wrote is unread, not WhatsApp's own notices
        // in the thread (a customer's changed number arrives inbound, written by "system").
        const fromCustomer = message.direction === "inbound" && message.authorKind === "contact";
        return {
          ...item,
          lastMessageAt: message.createdAt,
          lastMessagePreview: message.body ?? item.lastMessagePreview,
          unreadCount: fromCustomer ? item.unreadCount + 1 : item.unreadCount,
          waitingSince: waitingAfter(item.waitingSince, message),
        };
      }),
    }));
    client.setQueryData(key, { ...data, pages });
  }
  if (!found) scheduleRefetch();
}

export function applyConversationChange(
  client: QueryClient,
  change: ConversationChangedEvent,
  meId: string,
  scheduleRefetch: () => void,
) {
  const detailKey = inboxKeys.conversation(change.conversationId);
  const detail = client.getQueryData<Conversation>(detailKey);
  if (detail) {
    client.setQueryData<Conversation>(detailKey, {
      ...detail,
      status: change.status,
      assigneeId: change.assigneeId,
      assignee: change.assigneeId === null ? null : detail.assignee,
      waitingSince: change.waitingSince,
      unreadCount: change.unreadCount,
      windowExpiresAt: change.windowExpiresAt,
    });
    // A new assignee's name is not in the event: fetch this one conversation.
    if (change.assigneeId && change.assigneeId !== detail.assignee?.id) {
      void client.invalidateQueries({ queryKey: detailKey, exact: true });
    }
  }

  let needsRefetch = false;
  for (const [key, data] of client.getQueriesData<ListData>({ queryKey: inboxKeys.lists })) {
    const filters = key[1];
    if (!data || !isListFilters(filters)) continue;
    const matches = stillMatches(filters, change, meId);
    const present = data.pages.some((page) => page.items.some((item) => item.id === change.conversationId));
    if (matches === "unknown" || (matches && !present)) {
      needsRefetch = true;
      continue;
    }
    const pages = data.pages.map((page) => ({
      ...page,
      items: matches
        ? page.items.map((item) =>
            item.id === change.conversationId
              ? {
                  ...item,
                  status: change.status,
                  assigneeId: change.assigneeId,
                  waitingSince: change.waitingSince,
                  lastMessageAt: change.lastMessageAt,
                  lastMessagePreview: change.lastMessagePreview,
                  unreadCount: change.unreadCount,
                  windowExpiresAt: change.windowExpiresAt,
                }
              : item,
          )
        : page.items.filter((item) => item.id !== change.conversationId),
    }));
    client.setQueryData(key, { ...data, pages });
  }
  if (needsRefetch) scheduleRefetch();
}

type ListSla = ConversationListPage["items"][number]["sla"];

/** Sets one conversation's running clock wherever it is cached; lists filtered by SLA state refetch. */
function patchSla(
  client: QueryClient,
  conversationId: string,
  update: (current: ListSla) => ListSla,
  scheduleRefetch: () => void,
) {
  const detailKey = inboxKeys.conversation(conversationId);
  const detail = client.getQueryData<Conversation>(detailKey);
  if (detail) client.setQueryData<Conversation>(detailKey, { ...detail, sla: update(detail.sla) });

  let needsRefetch = false;
  for (const [key, data] of client.getQueriesData<ListData>({ queryKey: inboxKeys.lists })) {
    const filters = key[1];
    if (!data) continue;
    if (isListFilters(filters) && filters.sla) needsRefetch = true;
    const pages = data.pages.map((page) => ({
      ...page,
      items: page.items.map((item) =>
        item.id === conversationId ? { ...item, sla: update(item.sla) } : item,
      ),
    }));
    client.setQueryData(key, { ...data, pages });
  }
  if (needsRefetch) scheduleRefetch();
}

/** A clock started, was met or stopped, or got a new deadline: badges follow at once. */
export function applySlaChange(client: QueryClient, event: SlaChangedEvent, scheduleRefetch: () => void) {
  const sla = event.sla;
  patchSla(
    client,
    event.conversationId,
    () =>
      sla
        ? {
            kind: sla.kind,
            startedAt: sla.startedAt,
            dueAt: sla.dueAt,
            atRiskAt: sla.atRiskAt,
            breachedAt: sla.breachedAt,
          }
        : null,
    scheduleRefetch,
  );
}

/**
 * A stored message, with the conversation and clock changes that ride on it applied after it,
 * exactly as the standalone `conversation.changed` and `sla.changed` events would be.
 */
export function applyMessageCreated(
  client: QueryClient,
  event: MessageCreatedEvent,
  meId: string,
  scheduleRefetch: () => void,
) {
  const { conversation, sla, ...message } = event;
  applyMessage(client, message, scheduleRefetch);
  if (conversation) applyConversationChange(client, conversation, meId, scheduleRefetch);
  if (sla !== undefined) {
    applySlaChange(
      client,
      { conversationId: message.conversationId, inboxId: message.inboxId, sla },
      scheduleRefetch,
    );
  }
}

/** The ticker marked a clock breached (the badge already says so from `dueAt`; this keeps the data true). */
export function applySlaBreach(client: QueryClient, event: SlaBreachedEvent, scheduleRefetch: () => void) {
  patchSla(
    client,
    event.conversationId,
    (current) =>
      current && current.dueAt === event.dueAt ? { ...current, breachedAt: event.breachedAt } : current,
    scheduleRefetch,
  );
}

/** Ticks and failures: patches the message in the open thread, if it is loaded. */
const deliveryOrder: readonly string[] = ["received", "queued", "sent", "delivered", "read"];

/**
 * Whether a status event may replace what the cache shows. Events of concurrent webhooks can
 * arrive in another order than they committed ("read" before "delivered"): ticks only move
 * forward, and `failed` is final unless the same failure is re-announced (e.g. once retried).
 */
export function statusMayReplace(current: string, next: string): boolean {
  if (current === "failed") return next === "failed";
  if (next === "failed") return true;
  return deliveryOrder.indexOf(next) >= deliveryOrder.indexOf(current);
}

export function applyMessageStatus(client: QueryClient, event: MessageStatusEvent) {
  client.setQueryData<ThreadData>(inboxKeys.thread(event.conversationId), (data) => {
    if (!data) return data;
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        messages: page.messages.map((message) =>
          message.id === event.messageId && statusMayReplace(message.status, event.status)
            ? {
                ...message,
                status: event.status,
                wamid: event.wamid,
                errorCode: event.errorCode,
                errorTitle: event.errorTitle,
                failureReason: event.failureReason,
                statusUpdatedAt: event.statusUpdatedAt,
                retriedByMessageId: event.retriedByMessageId,
              }
            : message,
        ),
      })),
    };
  });
}

export function applyConversationEvent(client: QueryClient, event: ConversationEventDto) {
  client.setQueryData<ThreadData>(inboxKeys.thread(event.conversationId), (data) => {
    if (!data) return data;
    if (data.pages.some((page) => page.events.some((e) => e.id === event.id))) return data;
    const [newest, ...older] = data.pages;
    if (!newest) return data;
    const { inboxId: _inboxId, ...row } = event;
    return { ...data, pages: [{ ...newest, events: [...newest.events, row] }, ...older] };
  });
}

/**
 * A contact's consent changed (STOP/START, an agent, an import): the composer and the contact panel
 * read the cached ledger, so patching its current state blocks or frees the composer at once. The
 * history rows are not in the event; a cached ledger is refetched in the background for them.
 */
export function applyConsentChange(client: QueryClient, event: ConsentChangedEvent) {
  const key = inboxKeys.consents(event.contactId);
  const data = client.getQueryData<ContactConsentsView>(key);
  if (!data) return;
  const consent = {
    service: { ...event.consent.service },
    marketing: { ...event.consent.marketing },
  } as ContactConsentsView["consent"];
  client.setQueryData<ContactConsentsView>(key, { ...data, consent });
  void client.invalidateQueries({ queryKey: key, exact: true });
}

export function useInboxSocket(meId: string | undefined): React.RefObject<InboxSocket | null> {
  const client = useQueryClient();
  const router = useRouter();
  const socketRef = useRef<InboxSocket | null>(null);

  useEffect(() => {
    if (!meId) return;
    const socket = acquireSocket();
    socketRef.current = socket;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleRefetch = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void client.invalidateQueries({ queryKey: inboxKeys.lists });
        void client.invalidateQueries({ queryKey: inboxKeys.allCounts });
      }, 400);
    };
    let countsTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshCounts = () => {
      if (countsTimer) return;
      countsTimer = setTimeout(() => {
        countsTimer = undefined;
        void client.invalidateQueries({ queryKey: inboxKeys.allCounts });
      }, 400);
    };

    // The tab's socket may have connected before this page mounted (another page opened it).
    let connectedBefore = socket.connected;
    const unlisten = listen(socket, {
      connect: () => {
        // After a dropped connection, catch up on whatever was missed, once.
        if (connectedBefore) {
          void client.invalidateQueries({ queryKey: inboxKeys.lists });
          void client.invalidateQueries({ queryKey: inboxKeys.allCounts });
          void client.invalidateQueries({ queryKey: ["thread"] });
          void client.invalidateQueries({ queryKey: ["conversation"] });
          void client.invalidateQueries({ queryKey: ["contact-consents"] });
        }
        connectedBefore = true;
      },
      "message.created": (event) => {
        applyMessageCreated(client, event, meId, scheduleRefetch);
        refreshCounts();
      },
      "conversation.changed": (change) => {
        applyConversationChange(client, change, meId, scheduleRefetch);
        refreshCounts();
      },
      "conversation.event": (event) => applyConversationEvent(client, event),
      "message.status": (event) => applyMessageStatus(client, event),
      "sla.changed": (event) => applySlaChange(client, event, scheduleRefetch),
      "sla.breached": (event) => applySlaBreach(client, event, scheduleRefetch),
      "consent.changed": (event) => applyConsentChange(client, event),
      "session.ended": () => {
        client.clear();
        router.replace("/sign-in");
      },
    });

    return () => {
      if (timer) clearTimeout(timer);
      if (countsTimer) clearTimeout(countsTimer);
      unlisten();
      releaseSocket(socket);
      socketRef.current = null;
    };
  }, [client, meId, router]);

  return socketRef;
}
