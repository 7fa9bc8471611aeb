"use client";

import { navigateTo } from "@/components/ui/field";
import { useEffect } from "react";
import { io } from "socket.io-client";

/**
 * Keeps a socket open while a page is shown; when the server ends this user's session
 * (deactivated, signed out everywhere, password or role changed) the page goes to sign-in at once.
 */
export function SessionWatcher() {
  useEffect(() => {
    const socket = io({ path: "/socket.io", transports: ["websocket", "polling"] });
    const leave = () => navigateTo("/sign-in?ended=1");
    socket.on("session.ended", leave);
    socket.on("connect_error", (error) => {
      if (error.message === "Sign-in is required to connect.") leave();
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") leave();
    });
    return () => {
      socket.close();
    };
  }, []);
  return null;
}
