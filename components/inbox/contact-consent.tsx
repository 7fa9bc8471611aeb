"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/lib/client/api";
import type { ConsentPurpose, ConsentSource } from "@/lib/policy/consent";
import { consentSourceLabels } from "./consent-status";
import { fetchContactConsents, inboxKeys } from "./queries";
import type { ContactConsentsView } from "./types";

const stateLabels = { opted_in: "Opted in", opted_out: "Opted out", unknown: "No record" } as const;
const stateColours = {
  opted_in: "bg-emerald-50 text-emerald-800",
  opted_out: "bg-red-50 text-red-800",
  unknown: "bg-slate-100 text-slate-600",
} as const;
const purposeLabels: Record<ConsentPurpose, string> = { service: "Service", marketing: "Marketing" };

/** The sources an agent may name when recording (the server accepts these three). */
const recordSources = [
  { value: "agent", label: "The customer told me (chat, phone, in person)" },
  { value: "web_form", label: "A web form I am entering by hand" },
  { value: "event_registration", label: "An event sign-up sheet" },
] as const satisfies { value: ConsentSource; label: string }[];

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Consent per purpose, the full ledger (who, what, when, source, evidence) and "Record opt-in". */
export function ContactConsent({ contactId }: { contactId: string }) {
  const client = useQueryClient();
  const consents = useQuery({
    queryKey: inboxKeys.consents(contactId),
    queryFn: () => fetchContactConsents(contactId),
  });
  const [purpose, setPurpose] = useState<ConsentPurpose>("service");
  const [source, setSource] = useState<(typeof recordSources)[number]["value"]>("agent");
  const [evidence, setEvidence] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const record = useMutation({
    mutationFn: () =>
      api<ContactConsentsView>(`/api/v1/contacts/${contactId}/consents`, {
        method: "POST",
        json: { purpose, action: "opt_in", source, evidence },
      }),
    onSuccess: (data) => {
      client.setQueryData(inboxKeys.consents(contactId), data);
      setEvidence("");
      setSaved(`${purposeLabels[purpose]} opt-in recorded.`);
    },
    onError: (error) => setFormError(error.message),
  });

  const data = consents.data;
  return (
    <section aria-labelledby="consent-heading" data-testid="contact-consent">
      <h3 id="consent-heading" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
        Consent
      </h3>
      {consents.error ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {consents.error.message}
        </p>
      ) : !data ? (
        <p className="mt-1 text-xs text-slate-500">Loading…</p>
      ) : (
        <>
          <dl className="mt-1 space-y-1">
            {(["service", "marketing"] as const).map((key) => {
              const current = data.consent[key];
              return (
                <div key={key} className="flex items-center justify-between gap-2">
                  <dt className="text-slate-600">{purposeLabels[key]}</dt>
                  <dd
                    className={`rounded px-1.5 py-0.5 text-xs ${stateColours[current.state]}`}
                    data-testid={`consent-state-${key}`}
                    title={
                      current.since
                        ? `Since ${when(current.since)} via ${consentSourceLabels[current.source ?? "agent"]}`
                        : undefined
                    }
                  >
                    {stateLabels[current.state]}
                  </dd>
                </div>
              );
            })}
          </dl>
          <details className="mt-2">
            <summary className="cursor-pointer text-xs text-brand-700">
              History ({data.history.length})
            </summary>
            {data.history.length === 0 ? (
              <p className="mt-1 text-xs text-slate-500">Nothing recorded yet.</p>
            ) : (
              <ol className="mt-1 space-y-2" aria-label="Consent history">
                {[...data.history].reverse().map((event) => (
                  <li key={event.id} className="rounded border border-slate-200 p-2 text-xs">
                    <p className="font-semibold">
                      {event.action === "opt_in" ? "Opted in to" : "Opted out of"}{" "}
                      {event.purpose === "service" ? "service" : "marketing"} messages
                    </p>
                    <p className="text-slate-600">
                      {when(event.occurredAt)} · via {consentSourceLabels[event.source]} ·{" "}
                      {event.recordedByName
                        ? `recorded by ${event.recordedByName}`
                        : event.apiTokenId
                          ? "recorded by an API token"
                          : "by the customer"}
                    </p>
                    <p className="mt-1 text-slate-800">
                      {event.evidenceRedactedAt ? (
                        <em className="text-slate-500">Evidence erased with the customer&apos;s data.</em>
                      ) : (
                        <>“{event.evidence}”</>
                      )}
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </details>
        </>
      )}

      <form
        className="mt-3 space-y-2 rounded border border-slate-200 p-2"
        aria-label="Record opt-in"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(null);
          if (evidence.trim() === "") {
            setFormError("Evidence is required: the words the customer saw or sent.");
            return;
          }
          setFormError(null);
          record.mutate();
        }}
      >
        <p className="text-xs font-semibold">Record opt-in</p>
        <label className="block text-xs">
          Purpose
          <select
            className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value as ConsentPurpose)}
          >
            <option value="service">Service (order updates, support)</option>
            <option value="marketing">Marketing (offers, news)</option>
          </select>
        </label>
        <label className="block text-xs">
          Source
          <select
            className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
            value={source}
            onChange={(e) => setSource(e.target.value as (typeof recordSources)[number]["value"])}
          >
            {recordSources.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-xs">
          Evidence (required)
          <textarea
            className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
            rows={3}
            value={evidence}
            placeholder="The words the customer saw or sent, where and when"
            aria-invalid={formError !== null}
            onChange={(e) => {
              setEvidence(e.target.value);
              setFormError(null);
            }}
          />
        </label>
        {formError ? (
          <p role="alert" className="text-xs text-red-700">
            {formError}
          </p>
        ) : null}
        {saved ? (
          <p role="status" className="text-xs text-emerald-700">
            {saved}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={record.isPending}
          className="rounded-md bg-brand-600 px-3 py-1 text-xs font-semibold text-white disabled:opacity-50"
        >
          Record opt-in
        </button>
      </form>
    </section>
  );
}
