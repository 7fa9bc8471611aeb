"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import { initials, shortAgo } from "@/lib/client/format";
import { SlaBadge } from "@/components/sla/sla-badge";
import { fetchConversationPage, inboxKeys } from "./queries";
import type { ConversationItem, ListFilters } from "./types";

const ROW_HEIGHT = 76;

export function useConversationList(filters: ListFilters) {
  const query = useInfiniteQuery({
    queryKey: inboxKeys.list(filters),
    queryFn: ({ pageParam }) => fetchConversationPage(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, items };
}

export function ConversationList({
  items,
  activeId,
  openId,
  now,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  onOpen,
  isLoading,
  error,
}: {
  items: ConversationItem[];
  activeId: string | undefined;
  openId: string | undefined;
  now: Date;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  onOpen: (id: string) => void;
  isLoading: boolean;
  error: Error | null;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= items.length - 10) void fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const activeIndex = activeId ? items.findIndex((item) => item.id === activeId) : -1;
  useEffect(() => {
    if (activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: "auto" });
  }, [activeIndex, virtualizer]);

  if (error) {
    return (
      <p role="alert" className="p-4 text-sm text-red-700">
        {error.message}
      </p>
    );
  }
  if (isLoading) return <p className="p-4 text-sm text-slate-500">Loading conversations…</p>;
  if (items.length === 0)
    return <p className="p-4 text-sm text-slate-500">No conversations here. Nicely done.</p>;

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto" data-testid="conversation-list">
      <ul
        role="listbox"
        aria-label="Conversations"
        className="relative w-full"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualItems.map((row) => {
          const item = items[row.index];
          if (!item) return null;
          return (
            <li
              key={item.id}
              role="option"
              aria-selected={item.id === openId}
              data-active={item.id === activeId || undefined}
              className="absolute left-0 top-0 w-full"
              style={{ height: row.size, transform: `translateY(${row.start}px)` }}
            >
              <ConversationRow
                item={item}
                now={now}
                open={item.id === openId}
                active={item.id === activeId}
                onOpen={onOpen}
              />
            </li>
          );
        })}
      </ul>
      {isFetchingNextPage ? <p className="p-2 text-center text-xs text-slate-500">Loading more…</p> : null}
    </div>
  );
}

function ConversationRow({
  item,
  now,
  open,
  active,
  onOpen,
}: {
  item: ConversationItem;
  now: Date;
  open: boolean;
  active: boolean;
  onOpen: (id: string) => void;
}) {
  const name = item.contact.name ?? item.contact.waId ?? "Unknown customer";
  const waiting = item.waitingSince ? shortAgo(item.waitingSince, now) : null;
  return (
    <button
      type="button"
      onClick={() => onOpen(item.id)}
      data-conversation-id={item.id}
      className={`flex h-full w-full items-start gap-3 border-b border-slate-100 px-3 py-2 text-left ${
        open ? "bg-brand-50" : active ? "bg-slate-100" : "hover:bg-slate-50"
      } ${active ? "ring-2 ring-inset ring-brand-500" : ""}`}
    >
      <span
        aria-hidden
        className="mt-1 flex h-9 w-9 shrink-0 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700"
      >
        {initials(name)}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex items-baseline justify-between gap-2">
          <span className={`truncate text-sm ${item.unreadCount > 0 ? "font-semibold" : "font-medium"}`}>
            {name}
          </span>
          <span className="shrink-0 text-xs text-slate-500">{shortAgo(item.lastMessageAt, now)}</span>
        </span>
        <span className="mt-0.5 block truncate text-sm text-slate-600">{item.lastMessagePreview ?? "—"}</span>
        <span className="mt-1 flex items-center gap-2 text-xs text-slate-500">
          <SlaBadge sla={item.sla} now={now} />
          {waiting && !item.sla ? (
            <span className="rounded bg-amber-50 px-1.5 py-0.5 text-amber-800">waiting {waiting}</span>
          ) : null}
          {item.assigneeId === null ? <span>Unassigned</span> : null}
          {item.unreadCount > 0 ? (
            <span className="ml-auto rounded-full bg-brand-600 px-1.5 text-[11px] font-semibold text-white">
              {item.unreadCount}
              <span className="sr-only"> unread</span>
            </span>
          ) : null}
        </span>
      </span>
    </button>
  );
}
