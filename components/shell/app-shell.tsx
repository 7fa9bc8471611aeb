import type { ReactNode } from "react";
import { Header } from "./header";
import { Sidebar } from "./sidebar";

export function AppShell({
  title,
  currentPath,
  fullBleed = false,
  children,
}: {
  title: string;
  currentPath: string;
  /** Let the page use the whole area below the header (the inbox's three panes). */
  fullBleed?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="flex h-screen">
      <Sidebar currentPath={currentPath} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header title={title} />
        <main className={fullBleed ? "flex min-h-0 flex-1" : "min-h-0 flex-1 overflow-auto p-6"}>
          {children}
        </main>
      </div>
    </div>
  );
}
