import type { Metadata } from "next";
import Link from "next/link";
import { AppShell } from "@/components/shell/app-shell";
import { Alert } from "@/components/ui/field";
import { requirePageSession } from "@/lib/auth/page";
import { listAuditLog, type AuditLogItem } from "@/lib/domain/audit-log";
import { DomainError } from "@/lib/domain/errors";
import { ZodError } from "zod";
import { describeZodError } from "@/lib/http/errors";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const filterFields = [
  { name: "action", label: "Action", placeholder: "e.g. auth.sign_in_failed" },
  { name: "actorId", label: "Actor id", placeholder: "user UUID" },
  { name: "targetType", label: "Target type", placeholder: "user, api_token, account…" },
  { name: "targetId", label: "Target id", placeholder: "" },
  { name: "from", label: "From", placeholder: "2026-11-01T00:00:00Z" },
  { name: "to", label: "To", placeholder: "2026-11-30T23:59:59Z" },
] as const;

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string>>;
}) {
  const { user, ctx } = await requirePageSession("audit_log.read");
  const params = await searchParams;
  const filters = Object.fromEntries(
    Object.entries(params).filter(
      ([key, value]) => value !== "" && [...filterFields.map((f) => f.name), "cursor"].includes(key),
    ),
  );
  let items: AuditLogItem[] = [];
  let nextCursor: string | null = null;
  let problem: string | undefined;
  try {
    ({ items, nextCursor } = await listAuditLog({ ctx, input: filters }));
  } catch (error) {
    if (error instanceof ZodError) problem = describeZodError(error);
    else if (error instanceof DomainError) problem = error.message;
    else throw error;
  }
  const older = nextCursor
    ? `?${new URLSearchParams({ ...filters, cursor: nextCursor }).toString()}`
    : undefined;

  return (
    <AppShell title="Audit log" currentPath="/admin/audit-log" user={user}>
      <form
        method="get"
        className="mb-4 grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-3"
      >
        {filterFields.map((field) => (
          <div key={field.name} className="flex flex-col gap-1">
            <label htmlFor={`filter-${field.name}`} className="text-sm font-medium">
              {field.label}
            </label>
            <input
              id={`filter-${field.name}`}
              name={field.name}
              defaultValue={params[field.name] ?? ""}
              placeholder={field.placeholder}
              className="rounded-md border border-slate-300 px-3 py-2 text-sm"
            />
          </div>
        ))}
        <div className="flex items-end gap-2">
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white"
          >
            Filter
          </button>
          <Link href="/admin/audit-log" className="text-sm underline">
            Clear
          </Link>
        </div>
      </form>
      {problem ? <Alert>{problem}</Alert> : null}
      <table className="w-full border-collapse bg-white text-sm">
        <caption className="sr-only">Audit log entries, newest first</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th scope="col" className="p-2">
              When (UTC)
            </th>
            <th scope="col" className="p-2">
              Actor
            </th>
            <th scope="col" className="p-2">
              Action
            </th>
            <th scope="col" className="p-2">
              Target
            </th>
            <th scope="col" className="p-2">
              Address
            </th>
            <th scope="col" className="p-2">
              Details
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} className="border-b border-slate-100 align-top">
              <td className="whitespace-nowrap p-2">
                {item.at.toISOString().replace("T", " ").slice(0, 19)}
              </td>
              <td className="p-2">
                {item.actorId ? (
                  <Link
                    href={`?${new URLSearchParams({ actorId: item.actorId }).toString()}`}
                    title="Everything this person did"
                    className="underline decoration-slate-300 hover:decoration-slate-600"
                  >
                    {item.actorName ?? item.actorId}
                  </Link>
                ) : (
                  item.actorKind
                )}
              </td>
              <td className="p-2 font-mono text-xs">{item.action}</td>
              <td className="p-2 text-xs">
                {item.targetType === "user" && item.targetId ? (
                  <Link
                    href={`?${new URLSearchParams({ targetType: "user", targetId: item.targetId }).toString()}`}
                    title="Everything done to this person's account"
                    className="underline decoration-slate-300 hover:decoration-slate-600"
                  >
                    user: {item.targetName ?? item.targetId}
                  </Link>
                ) : item.targetType ? (
                  `${item.targetType}: ${item.targetId ?? ""}`
                ) : (
                  ""
                )}
              </td>
              <td className="p-2 text-xs">{item.ip ?? ""}</td>
              <td className="p-2 font-mono text-xs">{item.details ? JSON.stringify(item.details) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !problem ? (
        <p className="mt-4 text-sm text-slate-600">No entries match.</p>
      ) : null}
      {older ? (
        <Link href={older} className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
          Older entries
        </Link>
      ) : null}
    </AppShell>
  );
}
