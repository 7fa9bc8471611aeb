"use client";

import { useQuery } from "@tanstack/react-query";
import { ContactConsent } from "./contact-consent";
import { ContactRights } from "./contact-rights";
import { fetchLabels, fetchMembers, inboxKeys } from "./queries";
import type { Conversation, Me } from "./types";

export function ContactPanel({
  conversation,
  me,
  onAssign,
  onStatus,
  onLabel,
}: {
  conversation: Conversation;
  me: Me;
  onAssign: (assigneeId: string | null) => void;
  onStatus: (status: "open" | "pending" | "resolved") => void;
  onLabel: (labelId: string, add: boolean) => void;
}) {
  const members = useQuery({
    queryKey: inboxKeys.members(conversation.inboxId),
    queryFn: () => fetchMembers(conversation.inboxId),
  });
  const labels = useQuery({ queryKey: inboxKeys.labels, queryFn: fetchLabels, staleTime: 5 * 60_000 });
  const attached = new Set(conversation.labels.map((l) => l.id));
  const { contact } = conversation;

  return (
    <aside
      aria-label="Contact details"
      className="flex w-72 shrink-0 flex-col gap-5 overflow-y-auto border-l border-slate-200 bg-white p-4 text-sm"
    >
      <section>
        <h2 className="text-base font-semibold">{contact.name ?? "Unknown customer"}</h2>
        <dl className="mt-2 space-y-1 text-slate-600">
          <div>
            <dt className="sr-only">Phone</dt>
            <dd>{contact.phone ?? (contact.waId ? `+${contact.waId}` : "No phone number (username)")}</dd>
          </div>
          <div>
            <dt className="inline text-slate-500">Inbox: </dt>
            <dd className="inline">{conversation.inbox.name}</dd>
          </div>
          <div>
            <dt className="inline text-slate-500">Customer since: </dt>
            <dd className="inline">{new Date(contact.createdAt).toLocaleDateString()}</dd>
          </div>
        </dl>
      </section>

      <section>
        <label
          htmlFor="assignee"
          className="block text-xs font-semibold uppercase tracking-wide text-slate-500"
        >
          Assignee
        </label>
        <select
          id="assignee"
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5"
          value={conversation.assignee?.id ?? ""}
          onChange={(e) => onAssign(e.target.value === "" ? null : e.target.value)}
        >
          <option value="">Unassigned</option>
          {(members.data ?? []).map((member) => (
            <option key={member.id} value={member.id}>
              {member.id === me.id ? `${member.name} (me)` : member.name}
            </option>
          ))}
        </select>
        {conversation.assignee?.id !== me.id ? (
          <button
            type="button"
            className="mt-1 text-xs text-brand-700 underline"
            onClick={() => onAssign(me.id)}
          >
            Assign to me
          </button>
        ) : null}
      </section>

      <section>
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Status</h3>
        <div className="mt-1 flex gap-1" role="group" aria-label="Conversation status">
          {(["open", "pending", "resolved"] as const).map((status) => (
            <button
              key={status}
              type="button"
              aria-pressed={conversation.status === status}
              onClick={() => conversation.status !== status && onStatus(status)}
              className={`rounded-md border px-2 py-1 text-xs capitalize ${
                conversation.status === status
                  ? "border-slate-800 bg-slate-800 text-white"
                  : "border-slate-300"
              }`}
            >
              {status === "open" && conversation.status === "resolved" ? "Reopen" : status}
            </button>
          ))}
        </div>
      </section>

      <section>
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Labels</h3>
        <ul className="mt-1 flex flex-wrap gap-1">
          {(labels.data ?? []).map((label) => (
            <li key={label.id}>
              <button
                type="button"
                aria-pressed={attached.has(label.id)}
                onClick={() => onLabel(label.id, !attached.has(label.id))}
                className={`rounded-full border px-2 py-0.5 text-xs ${
                  attached.has(label.id)
                    ? "border-brand-600 bg-brand-50 text-brand-700"
                    : "border-slate-300 text-slate-600"
                }`}
              >
                {label.name}
              </button>
            </li>
          ))}
          {labels.data?.length === 0 ? <li className="text-xs text-slate-500">No labels yet.</li> : null}
        </ul>
      </section>

      <ContactConsent key={`consent-${contact.id}`} contactId={contact.id} />

      <ContactRights key={contact.id} contactId={contact.id} conversationId={conversation.id} />
    </aside>
  );
}
