"use client";

import { useEffect, useRef } from "react";

export const shortcuts: [string, string][] = [
  ["j / k", "Next / previous conversation"],
  ["Enter", "Open the highlighted conversation"],
  ["e", "Resolve the open conversation"],
  ["a", "Assign the open conversation to me"],
  ["/", "Canned replies in the composer"],
  ["Enter", "Send (in the composer); Shift+Enter for a new line"],
  ["Esc", "Leave the composer"],
  ["?", "Show these shortcuts"],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="shortcuts-title"
      className="rounded-lg p-0 backdrop:bg-black/30"
    >
      <div className="w-96 p-5">
        <h2 id="shortcuts-title" className="text-base font-semibold">
          Keyboard shortcuts
        </h2>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {shortcuts.map(([key, description]) => (
            <div key={`${key}-${description}`} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">
                  {key}
                </kbd>
              </dt>
              <dd className="text-slate-700">{description}</dd>
            </div>
          ))}
        </dl>
        <button
          type="button"
          onClick={onClose}
          className="mt-4 rounded-md bg-slate-800 px-3 py-1.5 text-sm text-white"
        >
          Close
        </button>
      </div>
    </dialog>
  );
}
