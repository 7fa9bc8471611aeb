import type { ReactNode } from "react";
import type { SessionUser } from "@/lib/domain/auth";
import { Header } from "./header";
import { SessionWatcher } from "./session-watcher";
import { Sidebar } from "./sidebar";

export interface ShellUser {
  name: string;
  email: string;
  role: SessionUser["role"];
}

export function AppShell({
  title,
  currentPath,
  user,
  fullBleed = false,
  children,
}: {
  title: string;
  currentPath: string;
  user: ShellUser;
  /** Let the page use the whole area below the header (the inbox's three panes). */
  fullBleed?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="flex h-screen">
      <Sidebar currentPath={currentPath} role={user.role} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header title={title} user={user} />
        <main className={fullBleed ? "flex min-h-0 flex-1" : "min-h-0 flex-1 overflow-auto p-6"}>
          {children}
        </main>
      </div>
      <SessionWatcher />
    </div>
  );
}
