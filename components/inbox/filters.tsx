"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fetchCounts, fetchLabels, inboxKeys } from "./queries";
import type { ListFilters, Me } from "./types";

const views: { value: ListFilters["view"]; label: string }[] = [
  { value: "mine", label: "Mine" },
  { value: "unassigned", label: "Unassigned" },
  { value: "all", label: "All" },
];

export function Filters({
  filters,
  me,
  onChange,
}: {
  filters: ListFilters;
  me: Me;
  onChange: (next: ListFilters) => void;
}) {
  const { view: _view, sort: _sort, ...countFilters } = filters;
  const counts = useQuery({
    queryKey: inboxKeys.counts(countFilters),
    queryFn: () => fetchCounts(countFilters),
  });
  const labels = useQuery({ queryKey: inboxKeys.labels, queryFn: fetchLabels, staleTime: 5 * 60_000 });
  const [search, setSearch] = useState(filters.q ?? "");

  useEffect(() => {
    const timer = setTimeout(() => {
      if ((filters.q ?? "") !== search.trim()) onChange({ ...filters, q: search.trim() || undefined });
    }, 250);
    return () => clearTimeout(timer);
  }, [search, filters, onChange]);

  return (
    <div className="space-y-2 border-b border-slate-200 p-3">
      <div role="tablist" aria-label="Views" className="flex gap-1">
        {views.map((view) => {
          const count = counts.data?.[view.value];
          return (
            <button
              key={view.value}
              type="button"
              role="tab"
              aria-selected={filters.view === view.value}
              onClick={() => onChange({ ...filters, view: view.value })}
              className={`flex-1 rounded-md px-2 py-1 text-xs font-medium ${
                filters.view === view.value ? "bg-slate-800 text-white" : "bg-slate-100 text-slate-700"
              }`}
            >
              {view.label}
              {count ? (
                <span className="ml-1 opacity-80">
                  {count.conversations}
                  {count.unread > 0 ? <span className="sr-only">, {count.unread} unread</span> : null}
                </span>
              ) : null}
              {count && count.unread > 0 ? (
                <span aria-hidden className="ml-1 inline-block h-2 w-2 rounded-full bg-brand-500" />
              ) : null}
            </button>
          );
        })}
      </div>
      <label className="sr-only" htmlFor="conversation-search">
        Search conversations
      </label>
      <input
        id="conversation-search"
        type="search"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        placeholder="Search name, phone or message"
        className="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
      />
      {/* Two by two: in one row the four menus are wider than the list and spill over the thread. */}
      <div className="grid grid-cols-2 gap-1">
        <label className="sr-only" htmlFor="status-filter">
          Status
        </label>
        <select
          id="status-filter"
          value={filters.status}
          onChange={(e) => onChange({ ...filters, status: e.target.value as ListFilters["status"] })}
          className="w-full min-w-0 rounded-md border border-slate-300 px-1 py-1 text-xs"
        >
          <option value="open">Open</option>
          <option value="pending">Pending</option>
          <option value="resolved">Resolved</option>
        </select>
        <label className="sr-only" htmlFor="inbox-filter">
          Inbox
        </label>
        <select
          id="inbox-filter"
          value={filters.inboxId ?? ""}
          onChange={(e) => onChange({ ...filters, inboxId: e.target.value || undefined })}
          className="w-full min-w-0 rounded-md border border-slate-300 px-1 py-1 text-xs"
        >
          <option value="">All inboxes</option>
          {me.inboxes.map((inbox) => (
            <option key={inbox.id} value={inbox.id}>
              {inbox.name}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="sla-filter">
          Response time
        </label>
        <select
          id="sla-filter"
          value={filters.sla ?? ""}
          onChange={(e) => onChange({ ...filters, sla: (e.target.value || undefined) as ListFilters["sla"] })}
          className="w-full min-w-0 rounded-md border border-slate-300 px-1 py-1 text-xs"
        >
          <option value="">Any response time</option>
          <option value="at_risk">At risk</option>
          <option value="breached">Breached</option>
        </select>
        <label className="sr-only" htmlFor="label-filter">
          Label
        </label>
        <select
          id="label-filter"
          value={filters.labelId ?? ""}
          onChange={(e) => onChange({ ...filters, labelId: e.target.value || undefined })}
          className="w-full min-w-0 rounded-md border border-slate-300 px-1 py-1 text-xs"
        >
          <option value="">Any label</option>
          {(labels.data ?? []).map((label) => (
            <option key={label.id} value={label.id}>
              {label.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
