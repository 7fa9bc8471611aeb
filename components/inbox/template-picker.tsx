"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { fetchApprovedTemplates, inboxKeys } from "./queries";
import type { Conversation, TemplateItem } from "./types";

export interface TemplateSend {
  templateId: string;
  parameters: Record<string, string>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*\}\}/g;

function preview(template: TemplateItem, values: Record<string, string>): string {
  return template.body.replace(PLACEHOLDER, (whole, name: string) => values[name]?.trim() || whole);
}

/** Once the 24-hour window has closed: pick an approved template, fill its parameters, send it. */
export function TemplatePicker({
  conversation,
  onSend,
}: {
  conversation: Conversation;
  onSend: (input: TemplateSend) => Promise<void>;
}) {
  const templates = useQuery({
    queryKey: inboxKeys.templates(conversation.inboxId),
    queryFn: () => fetchApprovedTemplates(conversation.inboxId),
    staleTime: 5 * 60_000,
  });
  const [templateId, setTemplateId] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const template = templates.data?.find((item) => item.id === templateId);
  const missing = template?.parameters.filter((name) => !values[name]?.trim()) ?? [];

  async function submit() {
    if (!template || missing.length > 0 || sending) return;
    setSending(true);
    setError(null);
    try {
      const parameters = Object.fromEntries(
        template.parameters.map((name) => [name, values[name]?.trim() ?? ""]),
      );
      await onSend({ templateId: template.id, parameters });
      setTemplateId("");
      setValues({});
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "The template could not be sent.");
    } finally {
      setSending(false);
    }
  }

  if (templates.isLoading) return <p className="text-xs text-slate-500">Loading templates…</p>;
  if (!templates.data?.length) {
    return (
      <p className="text-xs text-slate-600">
        This number has no approved templates yet; an admin can add them.
      </p>
    );
  }
  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label className="block text-xs font-semibold text-slate-700" htmlFor="template">
        Approved template
      </label>
      <select
        id="template"
        value={templateId}
        onChange={(event) => {
          setTemplateId(event.target.value);
          setValues({});
        }}
        className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
      >
        <option value="">Choose a template…</option>
        {templates.data.map((item) => (
          <option key={item.id} value={item.id}>
            {item.name} ({item.language})
          </option>
        ))}
      </select>
      {template ? (
        <>
          {template.parameters.map((name) => (
            <div key={name}>
              <label className="block text-xs text-slate-600" htmlFor={`template-${name}`}>
                {`{{${name}}}`}
              </label>
              <input
                id={`template-${name}`}
                value={values[name] ?? ""}
                onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
                className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
            </div>
          ))}
          <p
            className="whitespace-pre-wrap rounded bg-slate-50 p-2 text-sm text-slate-700"
            aria-label="Preview"
          >
            {preview(template, values)}
          </p>
        </>
      ) : null}
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={!template || missing.length > 0 || sending}
        className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
      >
        Send template
      </button>
    </form>
  );
}
