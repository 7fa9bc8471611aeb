"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { acquireSocket, listen, releaseSocket } from "@/lib/client/socket";

/**
 * Refetches the given queries when a clock in the user's inboxes changes (alone, or on the message
 * that started or met it), breaches or is reviewed (debounced: a burst of events costs one
 * refetch). Event-driven, never polled.
 */
export function useSlaRefresh(queryKeys: readonly (readonly string[])[]) {
  const client = useQueryClient();
  const keys = JSON.stringify(queryKeys);
  useEffect(() => {
    const socket = acquireSocket();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        for (const key of JSON.parse(keys) as string[][]) void client.invalidateQueries({ queryKey: key });
      }, 300);
    };
    const unlisten = listen(socket, {
      "sla.changed": refresh,
      // A clock a message started or met rides on that message instead of its own `sla.changed`.
      "message.created": (event) => {
        if (event.sla !== undefined) refresh();
      },
      "sla.breached": refresh,
      "sla.reviewed": refresh,
    });
    // After a dropped connection, catch up once.
    socket.io.on("reconnect", refresh);
    return () => {
      if (timer) clearTimeout(timer);
      unlisten();
      socket.io.off("reconnect", refresh);
      releaseSocket(socket);
    };
  }, [client, keys]);
}

/** A clock for countdowns: re-renders every `intervalMs`. */
export function useTicker(intervalMs = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
