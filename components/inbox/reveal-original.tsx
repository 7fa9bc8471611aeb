"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/lib/client/api";
import { roleHasPermission } from "@/lib/auth/permissions";
import { maskCharacter } from "@/lib/policy/card-masking";
import { fetchMe, inboxKeys } from "./queries";
import type { ThreadMessage } from "./types";

/** Whether a customer's message had a secret masked at ingest (masking keeps one "•" per character). */
export function looksMasked(message: ThreadMessage): boolean {
  return message.direction === "inbound" && !message.redactedAt && (message.body ?? "").includes(maskCharacter);
}

/** "Show original" for people allowed to read a masked secret; the server audits every reading. */
export function RevealOriginal({ messageId }: { messageId: string }) {
  const me = useQuery({ queryKey: inboxKeys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const [original, setOriginal] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!me.data || !roleHasPermission(me.data.role, "messages.reveal_original")) return null;
  if (original !== null) {
    return (
      <p className="mt-1 rounded bg-red-50 px-2 py-1 text-xs text-red-900" data-testid="original-text">
        Original (your viewing is recorded): {original}
      </p>
    );
  }
  return (
    <p className="mt-1 text-xs">
      <button
        type="button"
        className="text-slate-600 underline"
        onClick={() =>
          void api<{ body: string | null }>(`/api/v1/messages/${messageId}/original`)
            .then((found) => setOriginal(found.body ?? ""))
            .catch((caught: unknown) => setError(caught instanceof Error ? caught.message : "Not available."))
        }
      >
        Show original
      </button>
      {error ? <span className="ml-1 text-slate-500">{error}</span> : null}
    </p>
  );
}
