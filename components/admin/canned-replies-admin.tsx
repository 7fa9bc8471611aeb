"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState, type FormEvent } from "react";
import { Alert, buttonClass, Field, formText, secondaryButtonClass } from "@/components/ui/field";
import { callApi } from "./api";

export interface CannedReplyRow {
  id: string;
  inboxId: string | null;
  shortcut: string;
  title: string;
  body: string;
}

type Inbox = { id: string; name: string };

/** Admins write the team's canned replies: global or for one inbox, with variables agents get filled in. */
export function CannedRepliesAdmin({
  replies,
  inboxes,
  variables,
}: {
  replies: CannedReplyRow[];
  inboxes: Inbox[];
  variables: string[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<string | undefined>();
  const [query, setQuery] = useState("");

  const inboxName = (id: string | null) =>
    id ? (inboxes.find((inbox) => inbox.id === id)?.name ?? "Unknown inbox") : "All inboxes";

  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    if (!needle) return replies;
    return replies.filter((reply) =>
      [reply.shortcut, reply.title, reply.body].some((text) => text.toLowerCase().includes(needle)),
    );
  }, [query, replies]);

  async function act(work: () => Promise<string>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      router.refresh();
      return true;
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "That did not work; try again.");
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const inboxId = formText(form, "inboxId");
    const created = await act(async () => {
      const reply = await callApi<CannedReplyRow>("/api/v1/canned-replies", {
        method: "POST",
        body: {
          shortcut: formText(form, "shortcut"),
          title: formText(form, "title"),
          body: formText(form, "body"),
          inboxId: inboxId === "" ? null : inboxId,
        },
      });
      return `/${reply.shortcut} was added.`;
    });
    if (created) formElement.reset();
  }

  async function save(reply: CannedReplyRow, event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const saved = await act(async () => {
      await callApi(`/api/v1/canned-replies/${reply.id}`, {
        method: "PATCH",
        body: {
          shortcut: formText(form, "shortcut"),
          title: formText(form, "title"),
          body: formText(form, "body"),
        },
      });
      return `/${formText(form, "shortcut")} was saved.`;
    });
    if (saved) setEditing(undefined);
  }

  async function remove(reply: CannedReplyRow) {
    if (!window.confirm(`Delete the canned reply /${reply.shortcut}? Agents will no longer find it.`)) return;
    await act(async () => {
      await callApi(`/api/v1/canned-replies/${reply.id}`, { method: "DELETE" });
      return `/${reply.shortcut} was deleted.`;
    });
  }

  return (
    <div className="flex flex-col gap-6">
      {error ? <Alert>{error}</Alert> : null}
      {notice ? <Alert tone="info">{notice}</Alert> : null}

      <section aria-labelledby="new-reply" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="new-reply" className="mb-3 text-base font-semibold">
          New canned reply
        </h2>
        <form onSubmit={create} className="grid gap-3 md:grid-cols-2">
          <Field
            label="Shortcut"
            id="new-shortcut"
            name="shortcut"
            required
            placeholder="order-status"
            hint="Agents type / and this to find it: lower-case letters, digits, dashes."
          />
          <Field label="Title" id="new-title" name="title" required placeholder="Order status" />
          <div className="flex flex-col gap-1">
            <label htmlFor="new-inbox" className="text-sm font-medium text-slate-800">
              Available in
            </label>
            <select
              id="new-inbox"
              name="inboxId"
              className="rounded-md border border-slate-300 px-3 py-2 text-sm"
              defaultValue=""
            >
              <option value="">All inboxes</option>
              {inboxes.map((inbox) => (
                <option key={inbox.id} value={inbox.id}>
                  {inbox.name}
                </option>
              ))}
            </select>
          </div>
          <BodyField id="new-body" variables={variables} />
          <div className="md:col-span-2">
            <button type="submit" className={buttonClass} disabled={busy}>
              Add canned reply
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="all-replies" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="all-replies" className="text-base font-semibold">
            {replies.length} canned {replies.length === 1 ? "reply" : "replies"}
          </h2>
          <label className="flex items-center gap-2 text-sm">
            <span>Search</span>
            <input
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
              placeholder="Shortcut, title or text"
            />
          </label>
        </div>
        {shown.length === 0 ? (
          <p className="text-sm text-slate-500">
            {replies.length === 0 ? "No canned replies yet." : "No canned reply matches that search."}
          </p>
        ) : null}
        <ul className="flex flex-col gap-3">
          {shown.map((reply) => (
            <li
              key={reply.id}
              className="rounded-lg border border-slate-200 bg-white p-4"
              data-testid="canned-reply-row"
            >
              {editing === reply.id ? (
                <form onSubmit={(event) => void save(reply, event)} className="grid gap-3 md:grid-cols-2">
                  <Field
                    label="Shortcut"
                    id={`shortcut-${reply.id}`}
                    name="shortcut"
                    required
                    defaultValue={reply.shortcut}
                  />
                  <Field
                    label="Title"
                    id={`title-${reply.id}`}
                    name="title"
                    required
                    defaultValue={reply.title}
                  />
                  <BodyField id={`body-${reply.id}`} variables={variables} defaultValue={reply.body} />
                  <div className="flex gap-2 md:col-span-2">
                    <button type="submit" className={buttonClass} disabled={busy}>
                      Save
                    </button>
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      onClick={() => setEditing(undefined)}
                    >
                      Cancel
                    </button>
                  </div>
                </form>
              ) : (
                <div className="flex flex-col gap-2">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <p className="text-sm">
                      <span className="font-mono font-semibold">/{reply.shortcut}</span>{" "}
                      <span className="text-slate-700">{reply.title}</span>{" "}
                      <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
                        {inboxName(reply.inboxId)}
                      </span>
                    </p>
                    <div className="flex gap-2">
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        onClick={() => setEditing(reply.id)}
                        aria-label={`Edit /${reply.shortcut}`}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        onClick={() => void remove(reply)}
                        disabled={busy}
                        aria-label={`Delete /${reply.shortcut}`}
                      >
                        Delete
                      </button>
                    </div>
                  </div>
                  <p className="whitespace-pre-wrap text-sm text-slate-700">{reply.body}</p>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function BodyField({
  id,
  variables,
  defaultValue,
}: {
  id: string;
  variables: string[];
  defaultValue?: string;
}) {
  const hintId = useId();
  return (
    <div className="flex flex-col gap-1 md:col-span-2">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        Text
      </label>
      <textarea
        id={id}
        name="body"
        required
        rows={4}
        maxLength={4096}
        defaultValue={defaultValue}
        aria-describedby={hintId}
        className="rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <p id={hintId} className="text-xs text-slate-500">
        Variables filled in for the agent: {variables.map((name) => `{{${name}}}`).join(", ")}. Any other{" "}
        {"{{…}}"} is left highlighted for the agent to fill before sending.
      </p>
    </div>
  );
}
