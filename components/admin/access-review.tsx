"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, secondaryButtonClass } from "@/components/ui/field";
import { callApi } from "./api";

export interface AccessReviewRow {
  id: string;
  name: string;
  email: string;
  role: string;
  status: "active" | "deactivated";
  inboxes: { id: string; name: string }[];
  twoFactorEnabled: boolean;
  lastLoginAt: Date | null;
  accessReviewedAt: Date | null;
  flags: { inactive: boolean; reviewOverdue: boolean };
}

const formatDate = (value: Date | null) => (value ? new Date(value).toISOString().slice(0, 10) : "never");

/** Everyone with access; flagged rows first; confirm or revoke in one click. */
export function AccessReview({
  entries,
  currentUserId,
}: {
  entries: AccessReviewRow[];
  currentUserId: string;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | undefined>();
  const [busy, setBusy] = useState(false);

  async function decide(entry: AccessReviewRow, decision: "confirm" | "revoke") {
    setBusy(true);
    setMessage(undefined);
    try {
      await callApi("/api/v1/admin/access-review", { method: "POST", body: { userId: entry.id, decision } });
      setMessage({
        tone: "info",
        text:
          decision === "confirm" ? `Access of ${entry.name} confirmed.` : `Access of ${entry.name} revoked.`,
      });
      router.refresh();
    } catch (failure) {
      setMessage({ tone: "error", text: failure instanceof Error ? failure.message : "That did not work." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite" className="empty:hidden">
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
      <table className="w-full border-collapse bg-white text-sm">
        <caption className="sr-only">Access review</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th scope="col" className="p-2">
              Person
            </th>
            <th scope="col" className="p-2">
              Role
            </th>
            <th scope="col" className="p-2">
              Inboxes
            </th>
            <th scope="col" className="p-2">
              2FA
            </th>
            <th scope="col" className="p-2">
              Last sign-in
            </th>
            <th scope="col" className="p-2">
              Last review
            </th>
            <th scope="col" className="p-2">
              Decision
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.id}
              className="border-b border-slate-100 align-top"
              data-testid={`review-row-${entry.email}`}
            >
              <td className="p-2">
                <div className="font-medium">{entry.name}</div>
                <div className="text-xs text-slate-500">{entry.email}</div>
                {entry.status === "deactivated" ? (
                  <span className="text-xs font-semibold text-slate-500">Deactivated</span>
                ) : null}
              </td>
              <td className="p-2">{entry.role}</td>
              <td className="p-2">{entry.inboxes.map((i) => i.name).join(", ") || "none"}</td>
              <td className="p-2">{entry.twoFactorEnabled ? "On" : "Not set up"}</td>
              <td className="p-2">
                {formatDate(entry.lastLoginAt)}
                {entry.flags.inactive ? (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800">
                    No sign-in for 30 days
                  </span>
                ) : null}
              </td>
              <td className="p-2">
                {formatDate(entry.accessReviewedAt)}
                {entry.flags.reviewOverdue ? (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800">
                    Review overdue
                  </span>
                ) : null}
              </td>
              <td className="flex gap-2 p-2">
                <button
                  type="button"
                  disabled={busy}
                  className={secondaryButtonClass}
                  onClick={() => void decide(entry, "confirm")}
                >
                  Confirm access<span className="sr-only"> of {entry.name}</span>
                </button>
                {entry.status === "active" && entry.id !== currentUserId ? (
                  <button
                    type="button"
                    disabled={busy}
                    className={secondaryButtonClass}
                    onClick={() => void decide(entry, "revoke")}
                  >
                    Revoke<span className="sr-only"> access of {entry.name}</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
