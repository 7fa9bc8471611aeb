import type { ReactNode } from "react";
import { Header } from "./header";
import { Sidebar } from "./sidebar";

export function AppShell({
  title,
  currentPath,
  children,
}: {
  title: string;
  currentPath: string;
  children: ReactNode;
}) {
  return (
    <div className="flex h-full min-h-screen">
      <Sidebar currentPath={currentPath} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header title={title} />
        <main className="min-h-0 flex-1 overflow-auto p-6">{children}</main>
      </div>
    </div>
  );
}
