"use client";

import { useQuery } from "@tanstack/react-query";
import { useImperativeHandle, useRef, useState, type Ref } from "react";
import { renderCannedReply, firstName, type CannedReplyValues } from "@/lib/domain/canned-replies/render";
import { ApiError } from "@/lib/client/api";
import { durationText } from "@/lib/client/format";
import { detectSensitiveRequest, sensitiveRequestWarning } from "@/lib/policy/sensitive-data";
import { CannedPicker, filterCanned } from "./canned-picker";
import type { ComposerConsent, ConsentBanner } from "./consent-status";
import { useTypingSignal } from "./presence";
import { fetchCannedReplies, inboxKeys } from "./queries";
import type { InboxSocket } from "./use-inbox-socket";
import { TemplatePicker, type TemplateSend } from "./template-picker";
import type { Conversation, Me, ThreadMessage } from "./types";

export interface ComposerHandle {
  focus: (startWithSlash?: boolean) => void;
}

export type ComposerMode = "reply" | "note";

const blankPattern = /\{\{\s*[a-z_.]+\s*\}\}/i;

/** Render with `key={conversation.id}` so a new conversation starts with an empty composer. */
export function Composer({
  conversation,
  me,
  now,
  replyTo,
  onCancelReply,
  onSend,
  socket,
  onSendTemplate,
  consent,
  ref,
}: {
  conversation: Conversation;
  me: Me;
  now: Date;
  replyTo: ThreadMessage | undefined;
  onCancelReply: () => void;
  onSend: (input: {
    mode: ComposerMode;
    body: string;
    replyTo?: ThreadMessage;
    /** The agent read the sensitive-data warning and sends anyway (audited). */
    confirmSensitive?: boolean;
  }) => Promise<void>;
  socket: React.RefObject<InboxSocket | null>;
  /** Outside the 24-hour window the only thing WhatsApp accepts: an approved template. */
  onSendTemplate?: (input: TemplateSend) => Promise<void>;
  /** What the contact's consent allows now (live from `consent.changed`); the server judges again. */
  consent?: ComposerConsent;
  ref?: Ref<ComposerHandle>;
}) {
  const [text, setText] = useState("");
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The server's refusal of a reply that asks for a secret; "Send anyway" confirms it.
  const [sensitiveRefusal, setSensitiveRefusal] = useState<string | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const signalTyping = useTypingSignal(socket, conversation.id);
  const canned = useQuery({
    queryKey: inboxKeys.canned(conversation.inboxId),
    queryFn: () => fetchCannedReplies(conversation.inboxId),
    staleTime: 5 * 60_000,
  });

  useImperativeHandle(ref, () => ({
    focus: (startWithSlash) => {
      if (startWithSlash && text === "") setText("/");
      textarea.current?.focus();
    },
  }));

  const pickerOpen = mode === "reply" && text.startsWith("/") && !text.includes("\n");
  const pickerQuery = pickerOpen ? text.slice(1) : "";
  const matches = pickerOpen ? filterCanned(canned.data ?? [], pickerQuery) : [];

  const windowOpen = conversation.windowExpiresAt !== null && new Date(conversation.windowExpiresAt) > now;
  const minutesLeft = conversation.windowExpiresAt
    ? (new Date(conversation.windowExpiresAt).getTime() - now.getTime()) / 60_000
    : 0;
  const replyRefusal = consent && !consent.freeForm.allowed ? consent.freeForm.reason : null;
  const templateRefusal = consent && !consent.template.allowed ? consent.template.reason : null;
  const unfilled = text.match(blankPattern)?.[0];
  const sensitiveWarning = mode === "reply" ? sensitiveRequestWarning(detectSensitiveRequest(text)) : null;

  const values: CannedReplyValues = {
    "contact.name": conversation.contact.name,
    "contact.first_name": firstName(conversation.contact.name),
    "agent.name": me.name,
    "agent.first_name": firstName(me.name),
    "business.name": conversation.inbox.name,
    "business.hours": "Monday to Friday, 9:00–18:00",
  };

  function pick(body: string) {
    const rendered = renderCannedReply(body, values);
    setText(rendered.text);
    setHighlighted(0);
    requestAnimationFrame(() => {
      const element = textarea.current;
      if (!element) return;
      element.focus();
      // Select the first blank so the agent can type over it straight away.
      const match = blankPattern.exec(rendered.text);
      if (match) element.setSelectionRange(match.index, match.index + match[0].length);
    });
  }

  async function submit(confirmSensitive = false) {
    const body = text.trim();
    if (!body || sending) return;
    if (mode === "reply" && replyRefusal) return;
    if (mode === "reply" && blankPattern.test(body)) {
      setError(`Fill in ${body.match(blankPattern)?.[0]} before sending.`);
      return;
    }
    setSending(true);
    setError(null);
    try {
      await onSend({
        mode,
        body,
        replyTo: mode === "reply" ? replyTo : undefined,
        ...(confirmSensitive ? { confirmSensitive: true } : {}),
      });
      signalTyping(false);
      setText("");
      setSensitiveRefusal(null);
      onCancelReply();
    } catch (caught) {
      if (caught instanceof ApiError && caught.details?.reason === "sensitive_request") {
        setSensitiveRefusal(caught.message);
      } else {
        setError(caught instanceof Error ? caught.message : "The message could not be sent.");
      }
    } finally {
      setSending(false);
    }
  }

  if (mode === "reply" && !windowOpen) {
    return (
      <div className="border-t border-slate-200 bg-white p-3">
        <div className="mb-2 flex gap-2">
          <ModeTabs mode={mode} setMode={setMode} />
        </div>
        {consent?.banner ? <ConsentBannerView banner={consent.banner} /> : null}
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="window-closed">
          The 24-hour window has closed: WhatsApp only allows an approved template until the customer writes
          again.
        </p>
        {templateRefusal ? (
          <p className="mt-2 rounded-md bg-red-50 p-3 text-sm text-red-900" data-testid="composer-blocked">
            Templates cannot be sent: {templateRefusal}
          </p>
        ) : onSendTemplate ? (
          <div className="mt-3">
            <TemplatePicker conversation={conversation} onSend={onSendTemplate} />
          </div>
        ) : null}
      </div>
    );
  }

  const blocked = mode === "reply" ? replyRefusal : null;

  return (
    <div className="border-t border-slate-200 bg-white p-3">
      {consent?.banner ? <ConsentBannerView banner={consent.banner} /> : null}
      <div className="mb-2 flex items-center gap-2">
        <ModeTabs mode={mode} setMode={setMode} />
        {mode === "reply" ? (
          <span className="ml-auto text-xs text-slate-500" data-testid="window-status">
            Window closes in {durationText(minutesLeft)}
          </span>
        ) : (
          <span className="ml-auto text-xs text-amber-800">Only your teammates see notes.</span>
        )}
      </div>
      {replyTo && mode === "reply" ? (
        <div className="mb-2 flex items-start justify-between rounded bg-slate-100 px-2 py-1 text-xs text-slate-700">
          <span className="truncate">Replying to: {replyTo.body ?? `(${replyTo.type})`}</span>
          <button
            type="button"
            onClick={onCancelReply}
            className="ml-2 font-semibold"
            aria-label="Cancel reply"
          >
            ×
          </button>
        </div>
      ) : null}
      <div className="relative">
        {pickerOpen ? (
          <CannedPicker
            replies={canned.data ?? []}
            query={pickerQuery}
            highlighted={Math.min(highlighted, Math.max(matches.length - 1, 0))}
            onPick={(reply) => pick(reply.body)}
          />
        ) : null}
        <label htmlFor="composer" className="sr-only">
          {mode === "reply" ? "Reply to the customer" : "Write a private note"}
        </label>
        {blocked ? (
          <p
            id="composer-blocked"
            className="mb-2 rounded-md bg-red-50 p-2 text-xs text-red-900"
            data-testid="composer-blocked"
          >
            Replies are blocked: {blocked} Private notes still work.
          </p>
        ) : null}
        <textarea
          id="composer"
          ref={textarea}
          value={text}
          rows={3}
          disabled={blocked !== null}
          aria-describedby={blocked ? "composer-blocked" : undefined}
          placeholder={
            blocked
              ? "Replies are blocked by the customer's consent"
              : mode === "reply"
                ? "Type a reply — / for canned replies, Enter to send, Shift+Enter for a new line"
                : "Write a note for your teammates"
          }
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
            setSensitiveRefusal(null);
            if (mode === "reply") signalTyping(e.target.value.trim() !== "");
          }}
          onKeyDown={(e) => {
            if (pickerOpen && matches.length > 0) {
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                setHighlighted((h) =>
                  e.key === "ArrowDown"
                    ? (h + 1) % matches.length
                    : (h - 1 + matches.length) % matches.length,
                );
                return;
              }
              if (e.key === "Enter" || e.key === "Tab") {
                e.preventDefault();
                const reply = matches[Math.min(highlighted, matches.length - 1)];
                if (reply) pick(reply.body);
                return;
              }
            }
            if (e.key === "Escape") {
              if (pickerOpen) setText("");
              e.currentTarget.blur();
              return;
            }
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
          className={`w-full resize-none rounded-md border px-3 py-2 text-sm disabled:bg-slate-100 disabled:text-slate-500 ${
            mode === "note" ? "border-amber-300 bg-amber-50" : "border-slate-300"
          } ${unfilled ? "ring-2 ring-amber-400" : ""}`}
        />
      </div>
      {sensitiveRefusal ? (
        <div
          role="alertdialog"
          aria-labelledby="sensitive-title"
          aria-describedby="sensitive-text"
          className="mt-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900"
          data-testid="sensitive-confirm"
        >
          <p id="sensitive-title" className="font-semibold">
            Not sent: this reply asks for something customers must never share in a chat
          </p>
          <p id="sensitive-text" className="mt-1">
            {sensitiveRefusal}
          </p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              onClick={() => {
                setSensitiveRefusal(null);
                textarea.current?.focus();
              }}
              className="rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-semibold"
            >
              Edit the message
            </button>
            <button
              type="button"
              onClick={() => void submit(true)}
              disabled={sending}
              className="rounded-md bg-red-700 px-3 py-1 text-xs font-semibold text-white disabled:opacity-50"
            >
              Send anyway
            </button>
          </div>
        </div>
      ) : sensitiveWarning ? (
        <p className="mt-2 rounded-md bg-amber-50 p-2 text-xs text-amber-900" data-testid="sensitive-warning">
          {sensitiveWarning}
        </p>
      ) : null}
      <div className="mt-2 flex items-center gap-3">
        {unfilled ? (
          <p className="text-xs text-amber-800">Fill in the highlighted {unfilled} before sending.</p>
        ) : null}
        {error ? (
          <p role="alert" className="text-xs text-red-700">
            {error}
          </p>
        ) : null}
        <button
          type="button"
          onClick={() => void submit()}
          disabled={sending || text.trim() === "" || blocked !== null}
          className="ml-auto rounded-md bg-brand-600 px-4 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
        >
          {mode === "reply" ? "Send" : "Add note"}
        </button>
      </div>
    </div>
  );
}

function ConsentBannerView({ banner }: { banner: ConsentBanner }) {
  return (
    <p
      role="status"
      data-testid="consent-banner"
      data-kind={banner.kind}
      className={`mb-2 rounded-md border p-2 text-sm ${
        banner.kind === "opted_out"
          ? "border-red-300 bg-red-50 text-red-900"
          : "border-amber-300 bg-amber-50 text-amber-900"
      }`}
    >
      <span className="font-semibold">{banner.kind === "opted_out" ? "Opted out. " : "Service only. "}</span>
      {banner.text}
    </p>
  );
}

function ModeTabs({ mode, setMode }: { mode: ComposerMode; setMode: (mode: ComposerMode) => void }) {
  return (
    <div
      role="tablist"
      aria-label="Composer mode"
      className="flex rounded-md border border-slate-200 text-xs"
    >
      {(["reply", "note"] as const).map((value) => (
        <button
          key={value}
          type="button"
          role="tab"
          aria-selected={mode === value}
          onClick={() => setMode(value)}
          className={`px-3 py-1 ${mode === value ? "bg-slate-800 text-white" : "text-slate-700"}`}
        >
          {value === "reply" ? "Reply" : "Note"}
        </button>
      ))}
    </div>
  );
}
