"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useEffect, useLayoutEffect, useRef } from "react";
import { z } from "zod";
import { dayLabel, timeOfDay } from "@/lib/client/format";
import { MessageContent } from "./message-content";
import { looksMasked, RevealOriginal } from "./reveal-original";
import { fetchThreadPage, inboxKeys } from "./queries";
import type { ThreadEvent, ThreadMessage } from "./types";

export function useThread(conversationId: string) {
  const query = useInfiniteQuery({
    queryKey: inboxKeys.thread(conversationId),
    queryFn: ({ pageParam }) => fetchThreadPage(conversationId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.previousCursor ?? undefined,
  });
  // Pages run newest first; the thread reads oldest first.
  const pages = [...(query.data?.pages ?? [])].reverse();
  const messages = pages.flatMap((page) => page.messages);
  const events = pages.flatMap((page) => page.events);
  return { ...query, messages, events };
}

const reactionPayload = z.object({ reaction: z.object({ emoji: z.string().optional() }) });

function reactionEmoji(payload: unknown): string | undefined {
  const parsed = reactionPayload.safeParse(payload);
  return parsed.success && parsed.data.reaction.emoji ? parsed.data.reaction.emoji : undefined;
}

type Entry =
  { kind: "message"; at: string; message: ThreadMessage } | { kind: "event"; at: string; event: ThreadEvent };

export function eventText(event: ThreadEvent): string {
  const by = event.details.by ?? "Someone";
  switch (event.kind) {
    case "assigned":
      return `${by} assigned this to ${event.details.to ?? "a teammate"}`;
    case "unassigned":
      return `${by} unassigned this${event.details.from ? ` from ${event.details.from}` : ""}`;
    case "status_changed":
      return event.details.to === "resolved"
        ? `${by} resolved this`
        : event.details.from === "resolved"
          ? `${by} reopened this`
          : `${by} marked this ${event.details.to ?? ""}`;
    case "label_added":
      return `${by} added the label ${event.details.label ?? ""}`;
    case "label_removed":
      return `${by} removed the label ${event.details.label ?? ""}`;
    default:
      return by;
  }
}

const statusText: Record<string, string> = {
  queued: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not delivered",
};

function Ticks({ status }: { status: string }) {
  const symbol =
    status === "queued"
      ? "🕓"
      : status === "sent"
        ? "✓"
        : status === "delivered" || status === "read"
          ? "✓✓"
          : "";
  return (
    <span
      className={status === "read" ? "text-sky-600" : "text-slate-500"}
      title={statusText[status] ?? status}
    >
      <span aria-hidden>{symbol}</span>
      <span className="sr-only">{statusText[status] ?? status}</span>
    </span>
  );
}

function Bubble({
  message,
  quoted,
  onReply,
  onRetry,
}: {
  message: ThreadMessage;
  quoted: ThreadMessage | undefined;
  onReply: (message: ThreadMessage) => void;
  onRetry: (message: ThreadMessage) => void;
}) {
  const inbound = message.direction === "inbound";
  const note = message.isPrivateNote;
  const tone = note
    ? "border border-dashed border-amber-400 bg-amber-50"
    : inbound
      ? "bg-white border border-slate-200"
      : "bg-brand-50 border border-brand-100";
  return (
    <div
      className={`group flex ${inbound ? "justify-start" : "justify-end"}`}
      data-message-id={message.id}
      data-message-type={message.type}
      data-direction={message.direction}
    >
      <div className={`max-w-[75%] rounded-lg px-3 py-2 text-sm shadow-sm ${tone}`}>
        {note ? (
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-amber-800">Private note</p>
        ) : null}
        {quoted ? (
          <blockquote className="mb-1 border-l-2 border-slate-300 pl-2 text-xs text-slate-600">
            {quoted.body ?? `(${quoted.type})`}
          </blockquote>
        ) : null}
        <MessageContent message={message} />
        {looksMasked(message) ? <RevealOriginal messageId={message.id} /> : null}
        <p className="mt-1 flex items-center justify-end gap-2 text-[11px] text-slate-500">
          <time dateTime={message.createdAt}>{timeOfDay(message.createdAt)}</time>
          {!inbound && !note ? <Ticks status={message.status} /> : null}
        </p>
        {message.status === "failed" ? (
          <p role="status" className="mt-1 text-xs text-red-700">
            Not delivered
            {message.failureReason
              ? `: ${message.failureReason.replace(/\.$/, "")}`
              : message.errorTitle
                ? `: ${message.errorTitle}`
                : ""}
            .{" "}
            {message.retriedByMessageId ? (
              <span className="font-semibold">Sent again below.</span>
            ) : (
              <button type="button" className="font-semibold underline" onClick={() => onRetry(message)}>
                Retry
              </button>
            )}
          </p>
        ) : null}
        {!note && message.wamid ? (
          <button
            type="button"
            onClick={() => onReply(message)}
            className="mt-1 text-xs text-slate-500 opacity-0 hover:underline focus:opacity-100 group-hover:opacity-100"
          >
            Reply
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function ThreadView({
  conversationId,
  now,
  onReply,
  onRetry,
}: {
  conversationId: string;
  now: Date;
  onReply: (message: ThreadMessage) => void;
  onRetry: (message: ThreadMessage) => void;
}) {
  const thread = useThread(conversationId);
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const lastId = thread.messages.at(-1)?.id;

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [lastId, thread.messages.length]);

  useEffect(() => {
    stickToBottom.current = true;
  }, [conversationId]);

  if (thread.error)
    return (
      <p role="alert" className="p-4 text-sm text-red-700">
        {thread.error.message}
      </p>
    );
  if (thread.isLoading) return <p className="p-4 text-sm text-slate-500">Loading the conversation…</p>;

  const byWamid = new Map(thread.messages.filter((m) => m.wamid).map((m) => [m.wamid, m]));
  // A customer has one reaction per message: the latest replaces the earlier, an empty one removes it.
  const reactions = new Map<string, string>();
  const entries: Entry[] = [];
  for (const message of thread.messages) {
    if (message.type === "reaction") {
      const target = message.replyToWamid ?? undefined;
      if (target && byWamid.has(target)) {
        const emoji = reactionEmoji(message.payload);
        if (emoji) reactions.set(target, emoji);
        else reactions.delete(target);
        continue;
      }
    }
    entries.push({ kind: "message", at: message.createdAt, message });
  }
  for (const event of thread.events) entries.push({ kind: "event", at: event.createdAt, event });
  entries.sort((a, b) => a.at.localeCompare(b.at));

  let previousDay = "";
  return (
    <div
      ref={scrollRef}
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
      className="min-h-0 flex-1 space-y-2 overflow-y-auto bg-slate-50 px-4 py-3"
      data-testid="thread"
      aria-live="polite"
    >
      {thread.hasNextPage ? (
        <div className="text-center">
          <button
            type="button"
            className="rounded border border-slate-300 bg-white px-3 py-1 text-xs"
            disabled={thread.isFetchingNextPage}
            onClick={() => {
              stickToBottom.current = false;
              void thread.fetchNextPage();
            }}
          >
            {thread.isFetchingNextPage ? "Loading…" : "Load earlier messages"}
          </button>
        </div>
      ) : null}
      {entries.map((entry) => {
        const day = dayLabel(entry.at, now);
        const separator = day !== previousDay ? day : null;
        previousDay = day;
        return (
          <Fragment key={entry.kind === "message" ? entry.message.id : `event-${entry.event.id}`}>
            {separator ? (
              <p className="py-2 text-center text-xs font-medium text-slate-500" role="separator">
                {separator}
              </p>
            ) : null}
            {entry.kind === "event" ? (
              <p className="text-center text-xs text-slate-500">
                {eventText(entry.event)} · <time dateTime={entry.at}>{timeOfDay(entry.at)}</time>
              </p>
            ) : (
              <>
                <Bubble
                  message={entry.message}
                  quoted={entry.message.replyToWamid ? byWamid.get(entry.message.replyToWamid) : undefined}
                  onReply={onReply}
                  onRetry={onRetry}
                />
                {entry.message.wamid && reactions.get(entry.message.wamid) ? (
                  <p
                    className={`-mt-1 text-sm ${entry.message.direction === "inbound" ? "text-left" : "text-right"}`}
                    aria-label="Reactions"
                  >
                    {reactions.get(entry.message.wamid)}
                  </p>
                ) : null}
              </>
            )}
          </Fragment>
        );
      })}
    </div>
  );
}
