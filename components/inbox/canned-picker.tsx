"use client";

import type { CannedReplyItem } from "./types";

/** The list that opens when the composer starts with `/`; filtered by what follows the slash. */
export function CannedPicker({
  replies,
  query,
  highlighted,
  onPick,
}: {
  replies: CannedReplyItem[];
  query: string;
  highlighted: number;
  onPick: (reply: CannedReplyItem) => void;
}) {
  const matches = filterCanned(replies, query);
  return (
    <div className="absolute bottom-full left-0 right-0 mb-1 max-h-64 overflow-y-auto rounded-md border border-slate-200 bg-white shadow-lg">
      {matches.length === 0 ? (
        <p className="p-3 text-sm text-slate-500">No canned reply matches “{query}”.</p>
      ) : (
        <ul role="listbox" aria-label="Canned replies" id="canned-replies">
          {matches.map((reply, index) => (
            <li key={reply.id} role="option" aria-selected={index === highlighted}>
              <button
                type="button"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => onPick(reply)}
                className={`block w-full px-3 py-2 text-left text-sm ${index === highlighted ? "bg-brand-50" : "hover:bg-slate-50"}`}
              >
                <span className="font-medium">/{reply.shortcut}</span>{" "}
                <span className="text-slate-600">{reply.title}</span>
                <span className="block truncate text-xs text-slate-500">{reply.body}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function filterCanned(replies: CannedReplyItem[], query: string): CannedReplyItem[] {
  const q = query.trim().toLowerCase();
  if (!q) return replies;
  return replies.filter(
    (r) => r.shortcut.includes(q) || r.title.toLowerCase().includes(q) || r.body.toLowerCase().includes(q),
  );
}
