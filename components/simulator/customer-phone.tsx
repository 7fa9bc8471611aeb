"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api, withQuery } from "@/lib/client/api";
import type { ChatMessage, SimulatorFailure, SimulatorInbox } from "./types";

const keys = {
  inboxes: ["simulator", "inboxes"] as const,
  chat: (phoneNumberId: string, customer: string) => ["simulator", "chat", phoneNumberId, customer] as const,
  failure: ["simulator", "failure"] as const,
};

const failureKinds: { value: SimulatorFailure["kind"]; label: string; needsCode?: boolean }[] = [
  { value: "none", label: "Answer normally" },
  { value: "server_error", label: "HTTP 500" },
  { value: "timeout", label: "No answer (timeout)" },
  { value: "accept_then_timeout", label: "Accept, then lose the answer" },
  { value: "drop_connection", label: "Drop the connection" },
  { value: "accept_then_drop", label: "Accept, then drop the connection" },
  { value: "graph_error", label: "Graph error code…", needsCode: true },
  { value: "failed_status", label: "Accept, then report failed…", needsCode: true },
];

const commonCodes = [
  { code: 130429, label: "130429 throughput limit" },
  { code: 131056, label: "131056 too many to one customer" },
  { code: 131047, label: "131047 window closed" },
  { code: 131026, label: "131026 undeliverable" },
  { code: 131050, label: "131050 stopped marketing" },
  { code: 190, label: "190 token expired" },
  { code: 368, label: "368 number restricted" },
];

const digitsOnly = (value: string) => value.replace(/[\s+()-]/g, "");

/** The simulated customer's phone: pick a business number and a customer, chat, break WhatsApp. */
export function CustomerPhone() {
  const inboxes = useQuery({
    queryKey: keys.inboxes,
    queryFn: () => api<{ items: SimulatorInbox[] }>("/api/simulator/inboxes").then((r) => r.items),
  });
  const [phoneNumberId, setPhoneNumberId] = useState("");
  const [customer, setCustomer] = useState<{ waId: string; name: string } | null>(null);
  const inbox = inboxes.data?.find((item) => item.phoneNumberId === phoneNumberId) ?? inboxes.data?.[0];

  if (inboxes.error) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {inboxes.error.message}
      </p>
    );
  }
  if (!inboxes.data) return <p className="text-sm text-slate-500">Loading the business numbers…</p>;
  if (!inbox) return <p className="text-sm text-slate-600">There is no inbox to write to yet.</p>;

  return (
    <div className="grid gap-6 lg:grid-cols-[18rem_minmax(0,28rem)_18rem]">
      <section
        aria-label="Who is writing"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      >
        <div>
          <label htmlFor="business" className="block text-xs font-semibold text-slate-700">
            Business number
          </label>
          <select
            id="business"
            value={inbox.phoneNumberId}
            onChange={(event) => {
              setPhoneNumberId(event.target.value);
              setCustomer(null);
            }}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            {inboxes.data.map((item) => (
              <option key={item.id} value={item.phoneNumberId}>
                {item.name} ({item.displayPhoneNumber})
              </option>
            ))}
          </select>
        </div>
        <CustomerPicker inbox={inbox} customer={customer} onPick={setCustomer} />
      </section>

      {customer ? (
        <Chat key={`${inbox.phoneNumberId}:${customer.waId}`} inbox={inbox} customer={customer} />
      ) : (
        <p className="self-center text-sm text-slate-500">
          Choose a customer, or create one, to start chatting.
        </p>
      )}

      <FailureSwitch />
    </div>
  );
}

function CustomerPicker({
  inbox,
  customer,
  onPick,
}: {
  inbox: SimulatorInbox;
  customer: { waId: string; name: string } | null;
  onPick: (customer: { waId: string; name: string }) => void;
}) {
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const phoneValid = /^\d{6,15}$/.test(digitsOnly(phone));

  return (
    <div className="space-y-4">
      <div>
        <label htmlFor="customer" className="block text-xs font-semibold text-slate-700">
          Existing customer
        </label>
        <select
          id="customer"
          value={customer?.waId ?? ""}
          onChange={(event) => {
            const picked = inbox.customers.find((item) => item.waId === event.target.value);
            if (picked) onPick(picked);
          }}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
        >
          <option value="">Choose…</option>
          {inbox.customers.map((item) => (
            <option key={item.waId} value={item.waId}>
              {item.name} (+{item.waId})
            </option>
          ))}
        </select>
      </div>
      <form
        aria-label="New customer"
        className="space-y-2 border-t border-slate-200 pt-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim() && phoneValid) onPick({ waId: digitsOnly(phone), name: name.trim() });
        }}
      >
        <p className="text-xs font-semibold text-slate-700">New customer</p>
        <div>
          <label htmlFor="new-name" className="block text-xs text-slate-600">
            Name
          </label>
          <input
            id="new-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </div>
        <div>
          <label htmlFor="new-phone" className="block text-xs text-slate-600">
            Phone, with country code
          </label>
          <input
            id="new-phone"
            inputMode="tel"
            placeholder="+44 7700 900123"
            value={phone}
            onChange={(event) => setPhone(event.target.value)}
            className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </div>
        <button
          type="submit"
          disabled={!name.trim() || !phoneValid}
          className="rounded-md bg-slate-800 px-3 py-1 text-sm font-semibold text-white disabled:opacity-50"
        >
          Use this customer
        </button>
      </form>
    </div>
  );
}

function Ticks({ message }: { message: ChatMessage }) {
  if (message.direction === "to_business") {
    const text =
      message.status === "sending"
        ? "Sending"
        : message.status === "read"
          ? "Read by the business"
          : message.status === "failed"
            ? "Not delivered"
            : "Delivered to the business";
    const mark = message.status === "sending" ? "🕓" : message.status === "failed" ? "!" : "✓✓";
    return (
      <span
        title={text}
        className={
          message.status === "read" ? "text-sky-600" : message.status === "failed" ? "text-red-700" : ""
        }
      >
        <span aria-hidden>{mark}</span>
        <span className="sr-only">{text}</span>
      </span>
    );
  }
  return <span className="italic">{message.status === "accepted" ? "arriving" : message.status}</span>;
}

function Chat({ inbox, customer }: { inbox: SimulatorInbox; customer: { waId: string; name: string } }) {
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [image, setImage] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const chat = useQuery({
    queryKey: keys.chat(inbox.phoneNumberId, customer.waId),
    queryFn: () =>
      api<{ items: ChatMessage[] }>(
        withQuery("/api/simulator/chat", { phoneNumberId: inbox.phoneNumberId, customer: customer.waId }),
      ).then((r) => r.items),
    // The simulator page alone polls: it plays a phone, not an agent's inbox.
    refetchInterval: 1_000,
  });
  const send = useMutation({
    mutationFn: async () => {
      if (image) {
        const form = new FormData();
        form.set("phoneNumberId", inbox.phoneNumberId);
        form.set("customer", customer.waId);
        form.set("name", customer.name);
        if (text.trim()) form.set("text", text.trim());
        form.set("image", image);
        return api<ChatMessage>("/api/simulator/messages", { method: "POST", body: form });
      }
      return api<ChatMessage>("/api/simulator/messages", {
        method: "POST",
        json: {
          phoneNumberId: inbox.phoneNumberId,
          customer: customer.waId,
          name: customer.name,
          text: text.trim(),
        },
      });
    },
    onSuccess: async () => {
      setText("");
      setImage(null);
      if (fileInput.current) fileInput.current.value = "";
      await client.invalidateQueries({ queryKey: ["simulator"] });
    },
  });

  const count = chat.data?.length ?? 0;
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [count]);

  return (
    <section
      aria-label={`Chat with ${inbox.name} as ${customer.name}`}
      className="flex h-[36rem] flex-col overflow-hidden rounded-2xl border-8 border-slate-800 bg-[#efeae2]"
    >
      <header className="bg-brand-700 px-4 py-2 text-white">
        <p className="text-sm font-semibold">{inbox.name}</p>
        <p className="text-xs opacity-80">
          You are {customer.name} (+{customer.waId})
        </p>
      </header>
      <ol className="flex-1 space-y-2 overflow-y-auto p-3" data-testid="simulator-chat">
        {(chat.data ?? []).map((message) => {
          const mine = message.direction === "to_business";
          return (
            <li key={message.id} className={`flex ${mine ? "justify-end" : "justify-start"}`}>
              <div
                className={`max-w-[80%] rounded-lg px-3 py-1.5 text-sm shadow-sm ${mine ? "bg-[#d9fdd3]" : "bg-white"}`}
                data-testid={mine ? "customer-message" : "business-message"}
              >
                {message.type === "image" ? <p className="text-xs text-slate-600">📷 Photo</p> : null}
                <p className="whitespace-pre-wrap break-words">{message.body ?? `(${message.type})`}</p>
                {message.error ? <p className="text-xs text-red-700">{message.error}</p> : null}
                <p className="mt-0.5 flex justify-end gap-1 text-[11px] text-slate-500">
                  <time dateTime={message.createdAt}>
                    {new Date(message.createdAt).toLocaleTimeString([], {
                      hour: "2-digit",
                      minute: "2-digit",
                    })}
                  </time>
                  <Ticks message={message} />
                </p>
              </div>
            </li>
          );
        })}
        <div ref={bottom} />
      </ol>
      <form
        className="flex items-center gap-2 bg-slate-100 p-2"
        onSubmit={(event) => {
          event.preventDefault();
          if ((text.trim() || image) && !send.isPending) send.mutate();
        }}
      >
        <label htmlFor="attach" className="cursor-pointer px-1 text-lg" title="Attach a photo">
          <span aria-hidden>📎</span>
          <span className="sr-only">Attach a photo</span>
        </label>
        <input
          id="attach"
          ref={fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          className="sr-only"
          onChange={(event) => setImage(event.target.files?.[0] ?? null)}
        />
        <label htmlFor="simulator-text" className="sr-only">
          Message
        </label>
        <input
          id="simulator-text"
          value={text}
          placeholder={image ? `Caption for ${image.name}` : "Message"}
          onChange={(event) => setText(event.target.value)}
          className="min-w-0 flex-1 rounded-full border border-slate-300 px-3 py-1.5 text-sm"
        />
        <button
          type="submit"
          disabled={(!text.trim() && !image) || send.isPending}
          className="rounded-full bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
        >
          Send
        </button>
      </form>
      {send.error ? (
        <p role="alert" className="bg-red-50 px-3 py-1 text-xs text-red-800">
          {send.error.message}
        </p>
      ) : null}
    </section>
  );
}

function FailureSwitch() {
  const client = useQueryClient();
  const current = useQuery({
    queryKey: keys.failure,
    queryFn: () => api<SimulatorFailure>("/api/simulator/failure"),
    refetchInterval: 2_000,
  });
  const [kind, setKind] = useState<SimulatorFailure["kind"]>("server_error");
  const [code, setCode] = useState("130429");
  const [times, setTimes] = useState("1");
  const needsCode = failureKinds.find((item) => item.value === kind)?.needsCode ?? false;
  const apply = useMutation({
    mutationFn: (input: { kind: SimulatorFailure["kind"]; code?: number; times?: number }) =>
      api<SimulatorFailure>("/api/simulator/failure", { method: "PUT", json: input }),
    onSuccess: (data) => client.setQueryData(keys.failure, data),
  });

  const describe = (failure: SimulatorFailure) => {
    if (failure.kind === "none") return "Sends succeed.";
    const label =
      failureKinds.find((item) => item.value === failure.kind)?.label.replace("…", "") ?? failure.kind;
    const codeText = failure.code ? ` ${failure.code}` : "";
    return `${label}${codeText} — ${failure.remaining === null ? "until switched off" : `${failure.remaining} more send(s)`}.`;
  };

  return (
    <section
      aria-label="WhatsApp failures"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 className="text-sm font-semibold">WhatsApp failures</h2>
      <p className="text-xs text-slate-600" data-testid="failure-state">
        {current.data ? describe(current.data) : "…"}
      </p>
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          apply.mutate({
            kind,
            ...(needsCode ? { code: Number(code) } : {}),
            ...(kind !== "none" && times ? { times: Number(times) } : {}),
          });
        }}
      >
        <div>
          <label htmlFor="failure-kind" className="block text-xs text-slate-600">
            The next sends
          </label>
          <select
            id="failure-kind"
            value={kind}
            onChange={(event) =>
              setKind(failureKinds.find((item) => item.value === event.target.value)?.value ?? "none")
            }
            className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
          >
            {failureKinds.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </div>
        {needsCode ? (
          <div>
            <label htmlFor="failure-code" className="block text-xs text-slate-600">
              Error code
            </label>
            <select
              id="failure-code"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
            >
              {commonCodes.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {kind !== "none" ? (
          <div>
            <label htmlFor="failure-times" className="block text-xs text-slate-600">
              How many sends (empty: until switched off)
            </label>
            <input
              id="failure-times"
              inputMode="numeric"
              value={times}
              onChange={(event) => setTimes(event.target.value.replace(/\D/g, ""))}
              className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
            />
          </div>
        ) : null}
        <button type="submit" className="rounded-md bg-slate-800 px-3 py-1 text-sm font-semibold text-white">
          Apply
        </button>
        {apply.error ? (
          <p role="alert" className="text-xs text-red-700">
            {apply.error.message}
          </p>
        ) : null}
      </form>
    </section>
  );
}
