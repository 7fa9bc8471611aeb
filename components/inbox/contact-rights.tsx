"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Jsonify } from "@/lib/client/api";
import type { ContactDetail } from "@/lib/domain/contacts";
import { inboxKeys } from "./queries";

type Detail = Jsonify<ContactDetail>;

const buttonClass = "rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50";

/** The customer's data rights in the contact panel: correct, export, erase (each recorded). */
export function ContactRights({ contactId, conversationId }: { contactId: string; conversationId: string }) {
  const client = useQueryClient();
  const detail = useQuery({
    queryKey: inboxKeys.contact(contactId),
    queryFn: () => api<Detail>(`/api/v1/contacts/${contactId}`),
  });
  const [panel, setPanel] = useState<"none" | "correct" | "erase">("none");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function refresh() {
    await Promise.all([
      client.invalidateQueries({ queryKey: inboxKeys.contact(contactId) }),
      client.invalidateQueries({ queryKey: inboxKeys.conversation(conversationId) }),
      client.invalidateQueries({ queryKey: inboxKeys.thread(conversationId) }),
      client.invalidateQueries({ queryKey: inboxKeys.lists }),
    ]);
  }

  async function run(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await work();
      setPanel("none");
      await refresh();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "That did not work; try again.");
    } finally {
      setBusy(false);
    }
  }

  if (!detail.data) return null;
  const { can, contact } = detail.data;
  const erased = contact.anonymizedAt !== null;

  return (
    <section aria-labelledby="data-rights-title">
      <h3 id="data-rights-title" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
        Customer&apos;s data
      </h3>
      {erased ? (
        <p className="mt-1 text-xs text-slate-600" data-testid="contact-erased">
          Erased on {new Date(contact.anonymizedAt ?? "").toLocaleString()}. Nothing personal is kept.
        </p>
      ) : null}
      <div className="mt-1 flex flex-wrap gap-1">
        {can.correct ? (
          <button type="button" className={buttonClass} onClick={() => setPanel(panel === "correct" ? "none" : "correct")}>
            Correct details
          </button>
        ) : null}
        {can.export ? (
          <>
            <a className={buttonClass} href={`/api/v1/contacts/${contactId}/export?format=json`} download>
              Export JSON
            </a>
            <a className={buttonClass} href={`/api/v1/contacts/${contactId}/export?format=html`} download>
              Export HTML
            </a>
          </>
        ) : null}
        {can.erase ? (
          <button
            type="button"
            className="rounded-md border border-red-300 px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50"
            onClick={() => setPanel(panel === "erase" ? "none" : "erase")}
          >
            Erase…
          </button>
        ) : null}
      </div>
      {panel === "correct" ? (
        <CorrectForm
          key={contact.updatedAt}
          name={contact.profileName}
          phone={contact.phone}
          busy={busy}
          onCancel={() => setPanel("none")}
          onSubmit={(changes) =>
            void run(() => api(`/api/v1/contacts/${contactId}`, { method: "PATCH", json: changes }))
          }
        />
      ) : null}
      {panel === "erase" ? (
        <EraseForm
          busy={busy}
          onCancel={() => setPanel("none")}
          onSubmit={(input) =>
            void run(() => api(`/api/v1/contacts/${contactId}/erase`, { method: "POST", json: input }))
          }
        />
      ) : null}
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      ) : null}
      {detail.data.requests.length > 0 ? (
        <ul className="mt-2 space-y-0.5 text-xs text-slate-500" aria-label="Data requests">
          {detail.data.requests.map((request, index) => (
            <li key={index}>
              {request.kind} · {new Date(request.createdAt).toLocaleDateString()}
              {request.actorName ? ` · ${request.actorName}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function CorrectForm({
  name,
  phone,
  busy,
  onCancel,
  onSubmit,
}: {
  name: string | null;
  phone: string | null;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (changes: { profileName: string | null; phone: string | null; reason?: string }) => void;
}) {
  const [nameValue, setName] = useState(name ?? "");
  const [phoneValue, setPhone] = useState(phone ?? "");
  const [reason, setReason] = useState("");
  return (
    <form
      className="mt-2 space-y-2 rounded-md border border-slate-200 p-2"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit({
          profileName: nameValue.trim() === "" ? null : nameValue.trim(),
          phone: phoneValue.trim() === "" ? null : phoneValue.trim(),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        });
      }}
    >
      <label className="block text-xs">
        Name
        <input className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1" value={nameValue} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="block text-xs">
        Phone
        <input className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1" value={phoneValue} onChange={(e) => setPhone(e.target.value)} />
      </label>
      <label className="block text-xs">
        Why (optional)
        <input className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="flex gap-2">
        <button type="submit" disabled={busy} className="rounded-md bg-brand-600 px-3 py-1 text-xs font-semibold text-white disabled:opacity-50">
          Save correction
        </button>
        <button type="button" onClick={onCancel} className="text-xs underline">
          Cancel
        </button>
      </div>
    </form>
  );
}

function EraseForm({
  busy,
  onCancel,
  onSubmit,
}: {
  busy: boolean;
  onCancel: () => void;
  onSubmit: (input: { confirmation: string; reason: string }) => void;
}) {
  const [confirmation, setConfirmation] = useState("");
  const [reason, setReason] = useState("");
  const ready = confirmation === "ERASE" && reason.trim().length >= 3;
  return (
    <form
      className="mt-2 space-y-2 rounded-md border border-red-300 bg-red-50 p-2 text-red-900"
      aria-label="Erase this customer's data"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) onSubmit({ confirmation, reason: reason.trim() });
      }}
    >
      <p className="text-xs font-semibold">This cannot be undone.</p>
      <p className="text-xs">
        The customer&apos;s name, number, message texts, media and notes about them are removed for good.
        Counts and dates stay for reports. Parley can no longer message them.
      </p>
      <label className="block text-xs">
        Reason (e.g. the customer&apos;s request and its date)
        <input className="mt-0.5 w-full rounded border border-red-300 px-2 py-1" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label className="block text-xs">
        Type ERASE to confirm
        <input
          className="mt-0.5 w-full rounded border border-red-300 px-2 py-1"
          value={confirmation}
          autoComplete="off"
          onChange={(e) => setConfirmation(e.target.value)}
        />
      </label>
      <div className="flex gap-2">
        <button type="submit" disabled={!ready || busy} className="rounded-md bg-red-700 px-3 py-1 text-xs font-semibold text-white disabled:opacity-50">
          Erase permanently
        </button>
        <button type="button" onClick={onCancel} className="text-xs underline">
          Cancel
        </button>
      </div>
    </form>
  );
}
