"use client";

import Link from "next/link";
import { navigateTo } from "@/components/ui/field";
import { useEffect, useState } from "react";
import { acquireSocket, listen, releaseSocket } from "@/lib/client/socket";
import type { SlaBreachedEvent } from "@/lib/realtime/events";

const MAX_ALERTS = 4;

/**
 * Keeps the tab's socket open while a page is shown; when the server ends this user's session
 * (deactivated, signed out everywhere, password or role changed) the page goes to sign-in at once.
 * The same socket carries breach alerts, which the server sends to supervisors and admins only.
 */
export function SessionWatcher() {
  const [alerts, setAlerts] = useState<SlaBreachedEvent[]>([]);
  useEffect(() => {
    const socket = acquireSocket();
    const leave = () => navigateTo("/sign-in?ended=1");
    const unlisten = listen(socket, {
      connect_error: (error) => {
        if (error.message === "Sign-in is required to connect.") leave();
      },
      disconnect: (reason) => {
        if (reason === "io server disconnect") leave();
      },
      "session.ended": leave,
      "sla.alert": (alert) =>
        setAlerts((current) =>
          current.some((a) => a.slaEventId === alert.slaEventId)
            ? current
            : [alert, ...current].slice(0, MAX_ALERTS),
        ),
    });
    return () => {
      unlisten();
      releaseSocket(socket);
    };
  }, []);

  return (
    <div
      role="region"
      aria-label="Notifications"
      aria-live="polite"
      className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-80 flex-col gap-2"
    >
      {alerts.map((alert) => (
        <div
          key={alert.slaEventId}
          role="status"
          className="pointer-events-auto rounded-lg border border-red-300 bg-white p-3 text-sm shadow-lg"
        >
          <p className="font-semibold text-red-800">Response time breached</p>
          <p className="mt-1 text-slate-700">
            {alert.contactName ?? "A customer"} in {alert.inboxName} waited past the{" "}
            {alert.kind === "next_response" ? "next-response" : "first-response"} target;{" "}
            {alert.assigneeName ? `held by ${alert.assigneeName}` : "nobody holds it"}.
          </p>
          <div className="mt-2 flex gap-3">
            <Link href="/supervisor/sla" className="font-medium text-brand-700 underline">
              Open the SLA board
            </Link>
            <button
              type="button"
              className="ml-auto text-slate-600 underline"
              onClick={() => setAlerts((current) => current.filter((a) => a.slaEventId !== alert.slaEventId))}
            >
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
