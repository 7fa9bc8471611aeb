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
  children,
}: {
  title: string;
  currentPath: string;
  user: ShellUser;
  children: ReactNode;
}) {
  return (
    <div className="flex h-full min-h-screen">
      <Sidebar currentPath={currentPath} role={user.role} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header title={title} user={user} />
        <main className="min-h-0 flex-1 overflow-auto p-6">{children}</main>
      </div>
      <SessionWatcher />
    </div>
  );
}
