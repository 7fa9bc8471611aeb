"use client";

import { useEffect, useRef, useState } from "react";
import type { PresenceEvent } from "@/lib/realtime/events";
import { listen } from "@/lib/client/socket";
import type { InboxSocket } from "./use-inbox-socket";

/** Others who have this conversation open or are typing in it (never yourself). */
export function usePresence(
  socket: React.RefObject<InboxSocket | null>,
  conversationId: string | undefined,
  meId: string,
) {
  const [presence, setPresence] = useState<PresenceEvent | undefined>();
  useEffect(() => {
    const current = socket.current;
    if (!current) return;
    const announce = () => current.emit("presence.view", { conversationId: conversationId ?? null });
    const unlisten = listen(current, {
      presence: (event) => {
        if (event.conversationId === conversationId) setPresence(event);
      },
      // Again after every reconnection: the server forgets what a dropped socket was viewing.
      connect: announce,
    });
    announce();
    return () => {
      unlisten();
      // The tab's socket outlives the page: say this page no longer shows the conversation.
      current.emit("presence.view", { conversationId: null });
    };
  }, [socket, conversationId]);

  const relevant = presence && presence.conversationId === conversationId ? presence : undefined;
  return {
    viewers: relevant?.viewers.filter((v) => v.userId !== meId) ?? [],
    typing: relevant?.typing.filter((v) => v.userId !== meId) ?? [],
  };
}

/** Tells the others when this agent starts and stops typing (stops after 3 s without a key). */
export function useTypingSignal(socket: React.RefObject<InboxSocket | null>, conversationId: string) {
  const typing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      if (typing.current) socket.current?.emit("presence.typing", { conversationId, typing: false });
    },
    [socket, conversationId],
  );
  return (active: boolean) => {
    if (timer.current) clearTimeout(timer.current);
    if (active) timer.current = setTimeout(() => signal(false), 3000);
    if (typing.current !== active) signal(active);
  };
  function signal(active: boolean) {
    typing.current = active;
    socket.current?.emit("presence.typing", { conversationId, typing: active });
  }
}

export function PresenceLine({
  viewers,
  typing,
}: {
  viewers: { name: string }[];
  typing: { name: string }[];
}) {
  if (viewers.length === 0) return null;
  const typingNames = typing.map((t) => t.name);
  const text =
    typingNames.length > 0
      ? `${typingNames.join(", ")} ${typingNames.length === 1 ? "is" : "are"} typing…`
      : `${viewers.map((v) => v.name).join(", ")} ${viewers.length === 1 ? "is" : "are"} also viewing`;
  return (
    <p
      role="status"
      className="rounded bg-violet-50 px-2 py-0.5 text-xs text-violet-800"
      data-testid="presence"
    >
      {text}
    </p>
  );
}
