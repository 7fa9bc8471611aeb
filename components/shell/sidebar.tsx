import Link from "next/link";
import { roleHasPermission } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/domain/auth";
import { navItems } from "./nav-items";

export function Sidebar({ currentPath, role }: { currentPath: string; role: SessionUser["role"] }) {
  const visible = navItems.filter((item) => !item.permission || roleHasPermission(role, item.permission));
  return (
    <nav aria-label="Main" className="flex w-56 shrink-0 flex-col border-r border-slate-200 bg-white">
      <div className="flex h-14 items-center gap-2 border-b border-slate-200 px-4">
        <span
          aria-hidden
          className="flex h-8 w-8 items-center justify-center rounded-lg bg-brand-600 font-bold text-white"
        >
          P
        </span>
        <span className="text-lg font-semibold tracking-tight">Parley</span>
      </div>
      <ul className="flex flex-col gap-1 p-2">
        {visible.map((item) => {
          const active = item.href === currentPath;
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                title={item.description}
                className={`block rounded-md px-3 py-2 text-sm font-medium ${
                  active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
