"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/field";

interface ImportError {
  row: number;
  column: string | null;
  message: string;
}

interface ImportSummary {
  recorded: number;
  contactsCreated: number;
  rejectedRows: number;
  errors: ImportError[];
  ignoredColumns: string[];
}

type Upload =
  | { stage: "idle" }
  | { stage: "uploading"; sent: number; total: number }
  | { stage: "processing" }
  | { stage: "done"; summary: ImportSummary }
  | { stage: "failed"; message: string; errors: ImportError[] };

const template = [
  "phone,purpose,action,source,evidence,recorded_at",
  '+7 912 345-67-89,marketing,opt_in,web_form,"Ticked: Send me offers on WhatsApp",2025-05-12T14:30:00+03:00',
  "+49 151 23456789,service,opt_out,import,Asked by phone to stop messages,2025-05-13",
].join("\r\n");
const templateHref = `data:text/csv;charset=utf-8,${encodeURIComponent(`${template}\r\n`)}`;

function readError(body: unknown): { message: string; errors: ImportError[] } {
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = (body as { error: { message?: string; details?: { errors?: ImportError[] } } }).error;
    return { message: error.message ?? "The import failed.", errors: error.details?.errors ?? [] };
  }
  return { message: "The import failed; please try again.", errors: [] };
}

/** Sends the file with XMLHttpRequest so the bar shows the real upload progress. */
function send(form: FormData, onProgress: (sent: number, total: number) => void, onUploaded: () => void) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/consents/import");
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    request.upload.onload = onUploaded;
    request.onload = () => resolve({ status: request.status, body: request.response as unknown });
    request.onerror = () => reject(new Error("The connection failed; please try again."));
    request.send(form);
  });
}

function ErrorTable({ errors }: { errors: ImportError[] }) {
  if (errors.length === 0) return null;
  return (
    <table className="w-full text-left text-sm">
      <caption className="mb-2 text-left font-medium text-slate-800">Rows not imported</caption>
      <thead>
        <tr className="border-b border-slate-200 text-xs text-slate-600">
          <th scope="col" className="py-1 pr-3">
            Row
          </th>
          <th scope="col" className="py-1 pr-3">
            Column
          </th>
          <th scope="col" className="py-1">
            Problem
          </th>
        </tr>
      </thead>
      <tbody>
        {errors.map((error, index) => (
          <tr key={`${error.row}-${error.column ?? ""}-${index}`} className="border-b border-slate-100">
            <td className="py-1 pr-3 tabular-nums">{error.row}</td>
            <td className="py-1 pr-3">{error.column ?? "—"}</td>
            <td className="py-1">{error.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Pick an inbox and a CSV, watch it upload, then read what was recorded and which rows were refused. */
export function ConsentImport({ inboxes }: { inboxes: { id: string; name: string }[] }) {
  const [inboxId, setInboxId] = useState(inboxes[0]?.id ?? "");
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<Upload>({ stage: "idle" });
  const busy = upload.stage === "uploading" || upload.stage === "processing";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || !inboxId) return;
    const form = new FormData();
    form.set("inboxId", inboxId);
    form.set("file", file);
    setUpload({ stage: "uploading", sent: 0, total: file.size });
    try {
      const { status, body } = await send(
        form,
        (sent, total) => setUpload({ stage: "uploading", sent, total }),
        () => setUpload({ stage: "processing" }),
      );
      if (status === 200) setUpload({ stage: "done", summary: body as ImportSummary });
      else setUpload({ stage: "failed", ...readError(body) });
    } catch (error) {
      setUpload({
        stage: "failed",
        message: error instanceof Error ? error.message : String(error),
        errors: [],
      });
    }
  }

  return (
    <div className="max-w-3xl space-y-6">
      <p className="text-sm text-slate-700">
        Import opt-ins and opt-outs collected elsewhere (forms, events, paper). Each row needs a phone number
        in international format, a purpose (service or marketing) and an action (opt_in or opt_out); an opt-in
        needs its evidence, the words the customer agreed to.{" "}
        <a href={templateHref} download="consent-import-template.csv" className="text-brand-700 underline">
          Download a CSV template
        </a>
        .
      </p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Consent import">
        <div className="flex flex-col gap-1">
          <label htmlFor="import-inbox" className="text-xs font-medium text-slate-700">
            Inbox
          </label>
          <select
            id="import-inbox"
            value={inboxId}
            onChange={(e) => setInboxId(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            {inboxes.map((inbox) => (
              <option key={inbox.id} value={inbox.id}>
                {inbox.name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="import-file" className="text-xs font-medium text-slate-700">
            CSV file (UTF-8, up to 5 MB)
          </label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            className="text-sm"
          />
        </div>
        <button
          type="submit"
          disabled={busy || !file || !inboxId}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          Import
        </button>
      </form>

      {upload.stage === "uploading" ? (
        <div className="space-y-1">
          <label htmlFor="import-progress" className="text-xs text-slate-700">
            Uploading… {Math.round((upload.sent / Math.max(upload.total, 1)) * 100)} %
          </label>
          <progress id="import-progress" className="w-full" max={upload.total} value={upload.sent} />
        </div>
      ) : null}
      {upload.stage === "processing" ? (
        <div className="space-y-1">
          <label htmlFor="import-progress" className="text-xs text-slate-700">
            Uploaded; checking and recording the rows…
          </label>
          {/* No value: the server does not report its progress, so the bar is indeterminate. */}
          <progress id="import-progress" className="w-full" />
        </div>
      ) : null}
      {upload.stage === "failed" ? (
        <div className="space-y-3">
          <Alert>{upload.message}</Alert>
          <ErrorTable errors={upload.errors} />
        </div>
      ) : null}
      {upload.stage === "done" ? (
        <div className="space-y-3">
          <Alert tone="info">
            {upload.summary.recorded} {upload.summary.recorded === 1 ? "row" : "rows"} recorded
            {upload.summary.contactsCreated > 0
              ? `, ${upload.summary.contactsCreated} new contacts`
              : ""}; {upload.summary.rejectedRows} {upload.summary.rejectedRows === 1 ? "row" : "rows"} not
            imported.
            {upload.summary.ignoredColumns.length > 0
              ? ` Ignored columns: ${upload.summary.ignoredColumns.join(", ")}.`
              : ""}
          </Alert>
          <ErrorTable errors={upload.summary.errors} />
        </div>
      ) : null}
    </div>
  );
}
