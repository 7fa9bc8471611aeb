"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, buttonClass, Field, formText, secondaryButtonClass } from "@/components/ui/field";
import { callApi } from "./api";

type Role = "admin" | "supervisor" | "agent";
const roles: Role[] = ["admin", "supervisor", "agent"];

export interface AdminUserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: "active" | "deactivated";
  inboxes: { id: string; name: string }[];
  twoFactorEnabled: boolean;
  lastLoginAt: Date | null;
}

/** Users admin: invite, change role and inboxes, deactivate/reactivate, reset 2FA or password. */
export function UsersAdmin({
  users,
  inboxes,
  currentUserId,
}: {
  users: AdminUserRow[];
  inboxes: { id: string; name: string }[];
  currentUserId: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function act(work: () => Promise<string | undefined>) {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await work());
      router.refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "That did not work; try again.");
    } finally {
      setBusy(false);
    }
  }

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const formElement = event.currentTarget;
    await act(async () => {
      const created = await callApi<{ user: { name: string }; generatedPassword?: string }>(
        "/api/v1/admin/users",
        {
          method: "POST",
          body: {
            email: formText(form, "email"),
            name: formText(form, "name"),
            role: formText(form, "role"),
            inboxIds: form.getAll("inboxIds").map(String),
          },
        },
      );
      formElement.reset();
      return `${created.user.name} was added. Their first password, shown only now: ${created.generatedPassword ?? ""}`;
    });
  }

  const patch = (user: AdminUserRow, body: Record<string, unknown>, done: string) =>
    act(async () => {
      await callApi(`/api/v1/admin/users/${user.id}`, { method: "PATCH", body });
      return done;
    });

  return (
    <div className="flex flex-col gap-6">
      <div aria-live="polite" className="flex flex-col gap-2 empty:hidden">
        {error ? <Alert>{error}</Alert> : null}
        {notice ? <Alert tone="info">{notice}</Alert> : null}
      </div>

      <section aria-labelledby="invite-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="invite-title" className="mb-3 text-base font-semibold">
          Add a team member
        </h2>
        <form onSubmit={invite} className="grid grid-cols-1 gap-3 md:grid-cols-4">
          <Field label="Name" id="invite-name" name="name" required />
          <Field label="Email" id="invite-email" name="email" type="email" required />
          <div className="flex flex-col gap-1">
            <label htmlFor="invite-role" className="text-sm font-medium text-slate-800">
              Role
            </label>
            <select
              id="invite-role"
              name="role"
              defaultValue="agent"
              className="rounded-md border border-slate-300 px-3 py-2 text-sm"
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium text-slate-800">Inboxes</legend>
            {inboxes.map((inbox) => (
              <label key={inbox.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="inboxIds" value={inbox.id} /> {inbox.name}
              </label>
            ))}
          </fieldset>
          <div className="md:col-span-4">
            <button type="submit" disabled={busy} className={buttonClass}>
              Add team member
            </button>
          </div>
        </form>
      </section>

      <table className="w-full border-collapse rounded-lg bg-white text-sm">
        <caption className="sr-only">Team members</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th scope="col" className="p-2">
              Person
            </th>
            <th scope="col" className="p-2">
              Role
            </th>
            <th scope="col" className="p-2">
              Inboxes
            </th>
            <th scope="col" className="p-2">
              2FA
            </th>
            <th scope="col" className="p-2">
              Status
            </th>
            <th scope="col" className="p-2">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const self = user.id === currentUserId;
            return (
              <tr
                key={user.id}
                className="border-b border-slate-100 align-top"
                data-testid={`user-row-${user.email}`}
              >
                <td className="p-2">
                  <div className="font-medium">{user.name}</div>
                  <div className="text-xs text-slate-500">{user.email}</div>
                </td>
                <td className="p-2">
                  <label className="sr-only" htmlFor={`role-${user.id}`}>
                    Role of {user.name}
                  </label>
                  <select
                    id={`role-${user.id}`}
                    value={user.role}
                    disabled={busy}
                    onChange={(event) =>
                      void patch(
                        user,
                        { role: event.target.value },
                        `${user.name} is now ${event.target.value}.`,
                      )
                    }
                    className="rounded-md border border-slate-300 px-2 py-1"
                  >
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="p-2">
                  <fieldset>
                    <legend className="sr-only">Inboxes of {user.name}</legend>
                    {inboxes.map((inbox) => {
                      const member = user.inboxes.some((i) => i.id === inbox.id);
                      return (
                        <label key={inbox.id} className="flex items-center gap-2">
                          <input
                            type="checkbox"
                            checked={member}
                            disabled={busy}
                            onChange={() => {
                              const ids = user.inboxes.map((i) => i.id);
                              const next = member ? ids.filter((id) => id !== inbox.id) : [...ids, inbox.id];
                              void patch(user, { inboxIds: next }, `${user.name}'s inboxes were updated.`);
                            }}
                          />
                          {inbox.name}
                        </label>
                      );
                    })}
                  </fieldset>
                </td>
                <td className="p-2">{user.twoFactorEnabled ? "On" : "Not set up"}</td>
                <td className="p-2">{user.status === "active" ? "Active" : "Deactivated"}</td>
                <td className="flex flex-wrap gap-2 p-2">
                  {user.status === "active" ? (
                    <button
                      type="button"
                      disabled={busy || self}
                      className={secondaryButtonClass}
                      onClick={() =>
                        void patch(
                          user,
                          { status: "deactivated" },
                          `${user.name} was deactivated and signed out.`,
                        )
                      }
                    >
                      Deactivate<span className="sr-only"> {user.name}</span>
                    </button>
                  ) : (
                    <button
                      type="button"
                      disabled={busy}
                      className={secondaryButtonClass}
                      onClick={() => void patch(user, { status: "active" }, `${user.name} was reactivated.`)}
                    >
                      Reactivate<span className="sr-only"> {user.name}</span>
                    </button>
                  )}
                  <button
                    type="button"
                    disabled={busy}
                    className={secondaryButtonClass}
                    onClick={() =>
                      void act(async () => {
                        await callApi(`/api/v1/admin/users/${user.id}/reset-2fa`, { method: "POST" });
                        return `${user.name} must set up two-factor authentication at their next sign-in.`;
                      })
                    }
                  >
                    Reset 2FA<span className="sr-only"> for {user.name}</span>
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    className={secondaryButtonClass}
                    onClick={() =>
                      void act(async () => {
                        const { password } = await callApi<{ password: string }>(
                          `/api/v1/admin/users/${user.id}/reset-password`,
                          { method: "POST" },
                        );
                        return `${user.name}'s new password, shown only now: ${password}`;
                      })
                    }
                  >
                    Reset password<span className="sr-only"> for {user.name}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
