"use client";

import { useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "@/lib/client/api";
import { Composer, type ComposerHandle, type ComposerMode } from "./composer";
import { ContactPanel } from "./contact-panel";
import { useConversationConsent } from "./use-conversation-consent";
import { ConversationList, useConversationList } from "./conversation-list";
import { Filters } from "./filters";
import { fetchConversation, fetchMe, inboxKeys } from "./queries";
import { PresenceLine, usePresence } from "./presence";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { SlaBadge } from "@/components/sla/sla-badge";
import type { TemplateSend } from "./template-picker";
import { ThreadView } from "./thread";
import type { Me, Thread, ThreadMessage, ListFilters } from "./types";
import { applyMessageStatus, useInboxSocket } from "./use-inbox-socket";

function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) ||
      target.closest("dialog") !== null)
  );
}

export function InboxApp() {
  const me = useQuery({ queryKey: inboxKeys.me, queryFn: fetchMe, retry: false });
  if (me.error) {
    const unauthenticated = me.error instanceof ApiError && me.error.status === 401;
    return (
      <div className="p-6 text-sm">
        <p role="alert">{unauthenticated ? "Please sign in to see your conversations." : me.error.message}</p>
        {unauthenticated ? (
          <a href="/sign-in" className="mt-2 inline-block font-semibold text-brand-700 underline">
            Sign in
          </a>
        ) : null}
      </div>
    );
  }
  if (!me.data) return <p className="p-6 text-sm text-slate-500">Loading your inbox…</p>;
  return <Inbox me={me.data} />;
}

function Inbox({ me }: { me: Me }) {
  const client = useQueryClient();
  // Countdown badges read minutes; a 15-second tick keeps them within a quarter of one.
  const now = useNow(15_000);
  const socket = useInboxSocket(me.id);
  const [filters, setFilters] = useState<ListFilters>({ view: "all", status: "open", sort: "waiting" });
  const [openId, setOpenId] = useState<string | undefined>();
  const [activeId, setActiveId] = useState<string | undefined>();
  const [replyTo, setReplyTo] = useState<ThreadMessage | undefined>();
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const list = useConversationList(filters);

  const conversation = useQuery({
    queryKey: inboxKeys.conversation(openId ?? ""),
    queryFn: () => fetchConversation(openId ?? ""),
    enabled: openId !== undefined,
  });

  const open = useCallback((id: string) => {
    setOpenId(id);
    setActiveId(id);
    setReplyTo(undefined);
  }, []);

  const presence = usePresence(socket, openId, me.id);

  const act = useCallback(async (work: () => Promise<unknown>) => {
    try {
      setNotice(null);
      await work();
    } catch (error) {
      setNotice(error instanceof Error ? error.message : "That did not work; try again.");
    }
  }, []);

  const refreshConversation = useCallback(
    (id: string) => client.invalidateQueries({ queryKey: inboxKeys.conversation(id), exact: true }),
    [client],
  );

  const assign = useCallback(
    (id: string, assigneeId: string | null) =>
      act(async () => {
        await api(`/api/v1/conversations/${id}/assign`, { method: "POST", json: { assigneeId } });
        await refreshConversation(id);
      }),
    [act, refreshConversation],
  );

  const setStatus = useCallback(
    (id: string, status: "open" | "pending" | "resolved") =>
      act(async () => {
        await api(`/api/v1/conversations/${id}/status`, { method: "POST", json: { status } });
        await refreshConversation(id);
      }),
    [act, refreshConversation],
  );

  const appendToThread = useCallback(
    (conversationId: string, message: ThreadMessage) => {
      client.setQueryData<InfiniteData<Thread, string | undefined>>(
        inboxKeys.thread(conversationId),
        (data) => {
          if (!data || data.pages.some((p) => p.messages.some((m) => m.id === message.id))) return data;
          const [newest, ...older] = data.pages;
          return newest
            ? { ...data, pages: [{ ...newest, messages: [...newest.messages, message] }, ...older] }
            : data;
        },
      );
    },
    [client],
  );

  const sendTemplate = useCallback(
    async ({ templateId, parameters }: TemplateSend) => {
      if (!openId) return;
      const message = await api<ThreadMessage>(`/api/v1/conversations/${openId}/messages`, {
        method: "POST",
        json: { type: "template", templateId, parameters },
      });
      appendToThread(openId, message);
    },
    [appendToThread, openId],
  );

  // A failed send goes again as a new message; the failed one is marked live by `message.status`.
  const retry = useCallback(
    (failed: ThreadMessage) =>
      act(async () => {
        const message = await api<ThreadMessage>(
          `/api/v1/conversations/${failed.conversationId}/messages/${failed.id}/retry`,
          { method: "POST" },
        );
        appendToThread(failed.conversationId, message);
        applyMessageStatus(client, {
          messageId: failed.id,
          conversationId: failed.conversationId,
          inboxId: failed.inboxId,
          wamid: failed.wamid,
          status: failed.status,
          errorCode: failed.errorCode,
          errorTitle: failed.errorTitle,
          failureReason: failed.failureReason,
          statusUpdatedAt: failed.statusUpdatedAt,
          retriedByMessageId: message.id,
        });
      }),
    [act, appendToThread, client],
  );

  // Reading a conversation marks its customer messages read, on WhatsApp too (blue ticks).
  const openUnread = list.items.find((item) => item.id === openId)?.unreadCount ?? 0;
  useEffect(() => {
    if (!openId || openUnread === 0) return;
    void api(`/api/v1/conversations/${openId}/read`, { method: "POST" }).catch(() => undefined);
  }, [openId, openUnread]);

  const send = useCallback(
    async ({
      mode,
      body,
      replyTo: quoted,
      confirmSensitive,
    }: {
      mode: ComposerMode;
      body: string;
      replyTo?: ThreadMessage;
      confirmSensitive?: boolean;
    }) => {
      if (!openId) return;
      const message =
        mode === "note"
          ? await api<ThreadMessage>(`/api/v1/conversations/${openId}/notes`, {
              method: "POST",
              json: { body },
            })
          : await api<ThreadMessage>(`/api/v1/conversations/${openId}/messages`, {
              method: "POST",
              json: { type: "text", body, replyToMessageId: quoted?.id, confirmSensitive },
            });
      appendToThread(openId, message);
    },
    [appendToThread, openId],
  );

  // Keyboard first: j/k move, Enter opens, e resolves, a assigns to me, / canned replies, ? help.
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const items = list.items;
      const index = activeId ? items.findIndex((item) => item.id === activeId) : -1;
      switch (event.key) {
        case "j":
        case "k": {
          const next = items[Math.min(Math.max(index + (event.key === "j" ? 1 : -1), 0), items.length - 1)];
          if (next) setActiveId(next.id);
          break;
        }
        case "Enter":
          if (activeId) open(activeId);
          break;
        case "e":
          if (openId) void setStatus(openId, "resolved");
          break;
        case "a":
          if (openId) void assign(openId, me.id);
          break;
        case "/":
          if (openId) {
            event.preventDefault();
            composer.current?.focus(true);
          }
          break;
        case "?":
          setShowShortcuts(true);
          break;
        default:
          return;
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [list.items, activeId, openId, open, setStatus, assign, me.id]);

  return (
    <div className="flex h-full min-h-0 flex-1">
      <section
        aria-label="Conversation list"
        className="flex w-96 shrink-0 flex-col border-r border-slate-200 bg-white"
      >
        <Filters filters={filters} me={me} onChange={setFilters} />
        <ConversationList
          items={list.items}
          activeId={activeId}
          openId={openId}
          now={now}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
          onOpen={open}
          isLoading={list.isLoading}
          error={list.error}
        />
        <p className="border-t border-slate-200 px-3 py-1 text-right text-xs text-slate-500">
          <button type="button" onClick={() => setShowShortcuts(true)} className="underline">
            Keyboard shortcuts (?)
          </button>
        </p>
      </section>

      <section aria-label="Conversation" className="flex min-w-0 flex-1 flex-col">
        {notice ? (
          <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
            {notice}
          </p>
        ) : null}
        {!openId ? (
          <p className="m-auto text-sm text-slate-500">Choose a conversation, or press j and Enter.</p>
        ) : conversation.error ? (
          <p role="alert" className="m-auto text-sm text-red-700">
            {conversation.error.message}
          </p>
        ) : !conversation.data ? (
          <p className="m-auto text-sm text-slate-500">Loading…</p>
        ) : (
          <>
            <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2">
              <div>
                <h2 className="text-sm font-semibold">
                  {conversation.data.contact.name ?? "Unknown customer"}
                </h2>
                <p className="text-xs text-slate-500">
                  {conversation.data.inbox.name} · {conversation.data.status}
                  {conversation.data.assignee ? ` · ${conversation.data.assignee.name}` : " · unassigned"}
                </p>
              </div>
              <div className="flex items-center gap-3">
                <SlaBadge sla={conversation.data.sla} now={now} size="md" />
                <PresenceLine viewers={presence.viewers} typing={presence.typing} />
              </div>
            </header>
            <ThreadView
              conversationId={conversation.data.id}
              now={now}
              onReply={setReplyTo}
              onRetry={retry}
            />
            <ConversationComposer
              key={conversation.data.id}
              ref={composer}
              conversation={conversation.data}
              me={me}
              now={now}
              replyTo={replyTo}
              onCancelReply={() => setReplyTo(undefined)}
              onSend={send}
              socket={socket}
              onSendTemplate={sendTemplate}
            />
          </>
        )}
      </section>

      {conversation.data && openId ? (
        <ContactPanel
          conversation={conversation.data}
          me={me}
          onAssign={(assigneeId) => void assign(openId, assigneeId)}
          onStatus={(status) => void setStatus(openId, status)}
          onLabel={(labelId, add) =>
            void act(async () => {
              await api(`/api/v1/conversations/${openId}/labels/${labelId}`, {
                method: add ? "PUT" : "DELETE",
              });
              await refreshConversation(openId);
            })
          }
        />
      ) : null}
      <ShortcutsDialog open={showShortcuts} onClose={() => setShowShortcuts(false)} />
    </div>
  );
}

/** The composer with what the contact's consent allows, judged live from the cached ledger. */
function ConversationComposer(props: Omit<React.ComponentProps<typeof Composer>, "consent">) {
  const consent = useConversationConsent(props.conversation, props.now);
  return <Composer {...props} consent={consent} />;
}
