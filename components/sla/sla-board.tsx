"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api, withQuery } from "@/lib/client/api";
import { describeDue } from "@/lib/sla/state";
import { Alert, buttonClass, formText } from "@/components/ui/field";
import { InboxSelect } from "./inbox-select";
import { SlaBadge } from "./sla-badge";
import { reviewReasons, type BoardData, type BoardItem, type BreachItem, type BreachPage } from "./types";
import { useSlaRefresh, useTicker } from "./use-sla-socket";

const boardKey = ["sla-board"] as const;
const breachesKey = ["sla-breaches"] as const;

const kindLabel = (kind: string) => (kind === "next_response" ? "Next response" : "First response");
const customerOf = (item: BoardItem) => item.contact.name ?? item.contact.waId ?? "Unknown customer";

/** The supervisor's SLA board: live at-risk and breached lists, and the breach review queue. */
export function SlaBoard({ inboxes }: { inboxes: { id: string; name: string }[] }) {
  const [inboxId, setInboxId] = useState("");
  const now = useTicker();
  const client = useQueryClient();
  useSlaRefresh([boardKey, breachesKey]);
  const board = useQuery({
    queryKey: [...boardKey, inboxId],
    queryFn: () => api<BoardData>(withQuery("/api/v1/sla/board", { inboxId })),
  });
  // Turning at risk is a matter of time, not an event: refetch once when the next clock turns.
  const nextAtRiskAt = board.data?.nextAtRiskAt;
  useEffect(() => {
    if (!nextAtRiskAt) return;
    const delay = Math.min(Math.max(0, new Date(nextAtRiskAt).getTime() - Date.now()) + 1_000, 2 ** 31 - 1);
    const timer = setTimeout(() => void client.invalidateQueries({ queryKey: boardKey }), delay);
    return () => clearTimeout(timer);
  }, [nextAtRiskAt, client]);
  const breaches = useQuery({
    queryKey: [...breachesKey, inboxId],
    queryFn: () => api<BreachPage>(withQuery("/api/v1/sla/breaches", { inboxId, limit: 100 })),
  });

  return (
    <div className="space-y-6">
      <InboxSelect id="board-inbox" inboxes={inboxes} value={inboxId} onChange={setInboxId} />
      {board.error ? <Alert>{board.error.message}</Alert> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <BoardList
          title="Breached"
          empty="No conversation is past its response time."
          items={board.data?.breached}
          now={now}
        />
        <BoardList
          title="At risk"
          empty="No conversation is close to its response time."
          items={board.data?.atRisk}
          now={now}
        />
      </div>
      <section aria-labelledby="review-heading" className="space-y-3">
        <h2 id="review-heading" className="text-base font-semibold">
          Breaches to review
          {breaches.data ? (
            <span className="ml-2 text-sm text-slate-500">{breaches.data.items.length}</span>
          ) : null}
        </h2>
        {breaches.error ? <Alert>{breaches.error.message}</Alert> : null}
        {breaches.data && breaches.data.items.length === 0 ? (
          <p className="text-sm text-slate-500">Every breach has been reviewed.</p>
        ) : null}
        <ul aria-label="Breaches to review" className="space-y-3">
          {breaches.data?.items.map((item) => (
            <li key={item.slaEventId}>
              <ReviewCard item={item} now={now} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function BoardList({
  title,
  empty,
  items,
  now,
}: {
  title: string;
  empty: string;
  items: BoardItem[] | undefined;
  now: Date;
}) {
  const id = `board-${title.toLowerCase().replace(/\s+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white">
      <h2 id={id} className="border-b border-slate-200 px-4 py-2 text-base font-semibold">
        {title}
        {items ? <span className="ml-2 text-sm font-normal text-slate-500">{items.length}</span> : null}
      </h2>
      {!items ? <p className="p-4 text-sm text-slate-500">Loading…</p> : null}
      {items && items.length === 0 ? <p className="p-4 text-sm text-slate-500">{empty}</p> : null}
      <ul aria-label={title} className="divide-y divide-slate-100">
        {items?.map((item) => (
          <li key={item.slaEventId} className="flex items-center gap-3 px-4 py-2 text-sm">
            <div className="min-w-0 flex-1">
              <p className="truncate font-medium">{customerOf(item)}</p>
              <p className="text-xs text-slate-500">
                {item.inboxName} · {kindLabel(item.kind)} ·{" "}
                {item.assignee ? `held by ${item.assignee.name}` : "unassigned"}
              </p>
            </div>
            <SlaBadge sla={item} now={now} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReviewCard({ item, now }: { item: BreachItem; now: Date }) {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const members = useQuery({
    queryKey: ["inbox-members", item.inboxId],
    queryFn: () =>
      api<{ items: { id: string; name: string }[] }>(`/api/v1/inboxes/${item.inboxId}/members`).then(
        (r) => r.items,
      ),
    staleTime: 5 * 60_000,
  });
  const review = useMutation({
    mutationFn: (body: { reason: string; note: string; assigneeId?: string | null }) =>
      api(`/api/v1/sla/breaches/${item.slaEventId}/review`, { method: "POST", json: body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: breachesKey });
      void client.invalidateQueries({ queryKey: boardKey });
    },
    onError: (caught) => setError(caught.message),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const reassign = formText(form, "assignee");
    review.mutate({
      reason: formText(form, "reason"),
      note: formText(form, "note"),
      ...(reassign === "" ? {} : { assigneeId: reassign === "nobody" ? null : reassign }),
    });
  };

  const id = item.slaEventId;
  const answered = item.metAt ?? item.stoppedAt;
  return (
    <article
      aria-label={`Breach: ${customerOf(item)}`}
      className="rounded-lg border border-red-200 bg-white p-4 text-sm"
    >
      <header className="flex flex-wrap items-baseline gap-2">
        <h3 className="font-semibold">{customerOf(item)}</h3>
        <span className="text-xs text-slate-500">
          {item.inboxName} · {kindLabel(item.kind)} ·{" "}
          {item.assignee ? `held by ${item.assignee.name}` : "unassigned"}
        </span>
        <span className="ml-auto text-xs font-medium text-red-800">
          {answered
            ? `answered ${Math.round(item.overdueMinutes)} min late`
            : describeDue({ dueAt: new Date(item.dueAt), now })}
        </span>
      </header>
      <form onSubmit={onSubmit} className="mt-3 grid gap-2 sm:grid-cols-[10rem_1fr_12rem_auto] sm:items-end">
        <div className="flex flex-col gap-1">
          <label htmlFor={`reason-${id}`} className="text-xs font-medium text-slate-700">
            Reason
          </label>
          <select
            id={`reason-${id}`}
            name="reason"
            required
            defaultValue=""
            className="rounded-md border border-slate-300 px-2 py-1.5"
          >
            <option value="" disabled>
              Choose…
            </option>
            {reviewReasons.map((reason) => (
              <option key={reason.value} value={reason.value}>
                {reason.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`note-${id}`} className="text-xs font-medium text-slate-700">
            Note
          </label>
          <input
            id={`note-${id}`}
            name="note"
            required
            maxLength={2000}
            placeholder="What happened, and what changes"
            className="rounded-md border border-slate-300 px-2 py-1.5"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`assignee-${id}`} className="text-xs font-medium text-slate-700">
            Reassign
          </label>
          <select
            id={`assignee-${id}`}
            name="assignee"
            defaultValue=""
            className="rounded-md border border-slate-300 px-2 py-1.5"
          >
            <option value="">Keep as is</option>
            <option value="nobody">Nobody (unassign)</option>
            {(members.data ?? []).map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass} disabled={review.isPending}>
          Mark reviewed
        </button>
      </form>
      {error ? (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </article>
  );
}
