import type { ShellUser } from "./app-shell";
import { UserMenu } from "./user-menu";

export function Header({ title, user }: { title: string; user: ShellUser }) {
  return (
    <header className="flex h-14 shrink-0 items-center justify-between border-b border-slate-200 bg-white px-6">
      <h1 className="text-base font-semibold">{title}</h1>
      <UserMenu user={user} />
    </header>
  );
}
