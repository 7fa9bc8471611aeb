"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, buttonClass, Field, secondaryButtonClass } from "@/components/ui/field";
import { callApi } from "./api";

export interface PrivacySettingsRow {
  retentionDays: number | null;
  keepMaskedOriginals: boolean;
  maskedOriginalDays: number;
}

export interface RetentionRunRow {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  retentionDays: number | null;
  conversationsRedacted: number;
  messagesRedacted: number;
  originalsDeleted: number;
  batches: number;
  error: string | null;
}

/** Admins decide how long contents are kept and whether masked secrets' originals are; runs are listed. */
export function PrivacyAdmin({ settings, runs }: { settings: PrivacySettingsRow; runs: RetentionRunRow[] }) {
  const router = useRouter();
  const [keepForever, setKeepForever] = useState(settings.retentionDays === null);
  const [retentionDays, setRetentionDays] = useState(String(settings.retentionDays ?? 365));
  const [keepOriginals, setKeepOriginals] = useState(settings.keepMaskedOriginals);
  const [originalDays, setOriginalDays] = useState(String(settings.maskedOriginalDays));
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      router.refresh();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "That did not work; try again.");
    } finally {
      setBusy(false);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    void act(async () => {
      await callApi("/api/v1/admin/privacy", {
        method: "PUT",
        body: {
          retentionDays: keepForever ? null : Number(retentionDays),
          keepMaskedOriginals: keepOriginals,
          maskedOriginalDays: Number(originalDays),
        },
      });
      return "Saved.";
    });
  }

  return (
    <div className="max-w-3xl space-y-8">
      {error ? <Alert>{error}</Alert> : null}
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      <form onSubmit={save} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="text-base font-semibold">Retention</h2>
        <p className="text-sm text-slate-600">
          Resolved conversations keep their message texts, media, notes and breach-review notes for this long;
          then a daily job removes them. Counts and dates stay for reports.
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={keepForever} onChange={(e) => setKeepForever(e.target.checked)} />
          Keep contents without a limit
        </label>
        {keepForever ? null : (
          <Field
            label="Days to keep the contents of resolved conversations"
            id="retention-days"
            type="number"
            min={1}
            max={36500}
            value={retentionDays}
            onChange={(e) => setRetentionDays(e.target.value)}
          />
        )}
        <h2 className="pt-2 text-base font-semibold">Masked secrets</h2>
        <p className="text-sm text-slate-600">
          Card numbers and codes customers send are masked before they are stored. Keep the original only if
          your policy needs it; people with the permission can then reveal it (recorded in the audit log).
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={keepOriginals}
            onChange={(e) => setKeepOriginals(e.target.checked)}
          />
          Keep originals of masked secrets
        </label>
        {keepOriginals ? (
          <Field
            label="Days to keep an original"
            id="original-days"
            type="number"
            min={1}
            max={365}
            value={originalDays}
            onChange={(e) => setOriginalDays(e.target.value)}
          />
        ) : null}
        <button type="submit" className={buttonClass} disabled={busy}>
          Save
        </button>
      </form>

      <section className="space-y-2">
        <div className="flex items-center justify-between">
          <h2 className="text-base font-semibold">Retention runs</h2>
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={busy}
            onClick={() =>
              void act(async () => {
                const run = await callApi<RetentionRunRow>("/api/v1/admin/privacy/retention-runs", {
                  method: "POST",
                });
                return `Run finished: ${run.conversationsRedacted} conversation(s) and ${run.messagesRedacted} message(s) redacted.`;
              })
            }
          >
            Run now
          </button>
        </div>
        {runs.length === 0 ? (
          <p className="text-sm text-slate-500">No runs yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1">Started</th>
                <th>Period</th>
                <th>Conversations</th>
                <th>Messages</th>
                <th>Originals</th>
                <th>Batches</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className="border-t border-slate-100">
                  <td className="py-1">{new Date(run.startedAt).toLocaleString()}</td>
                  <td>{run.retentionDays === null ? "no limit" : `${run.retentionDays} days`}</td>
                  <td>{run.conversationsRedacted}</td>
                  <td>{run.messagesRedacted}</td>
                  <td>{run.originalsDeleted}</td>
                  <td>{run.batches}</td>
                  <td>{run.error ? `Failed: ${run.error}` : run.finishedAt ? "Done" : "Running"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
