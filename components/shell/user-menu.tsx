import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import type { ShellUser } from "./app-shell";

/** Who is signed in, a link to their account, and sign-out. */
export function UserMenu({ user }: { user: ShellUser }) {
  const initials = user.name
    .split(/\s+/)
    .map((part) => part[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="user-menu">
      <span
        aria-hidden
        className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-700"
      >
        {initials}
      </span>
      <Link href="/account" className="flex flex-col leading-tight hover:underline">
        <span className="font-medium text-slate-900">{user.name}</span>
        <span className="text-xs text-slate-500">
          {user.email} · {user.role}
        </span>
      </Link>
      <SignOutButton />
    </div>
  );
}
