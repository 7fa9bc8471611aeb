"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { callApi } from "@/components/admin/api";
import { Alert, buttonClass, Field, formText, navigateTo, secondaryButtonClass } from "@/components/ui/field";

export interface TokenRow {
  id: string;
  name: string;
  displayPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const day = (value: Date | null) =>
  value ? new Date(value).toISOString().slice(0, 16).replace("T", " ") : "never";

/** Change password, personal API tokens, sign out everywhere. */
export function AccountSettings({ tokens }: { tokens: TokenRow[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | undefined>();
  const [newToken, setNewToken] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<string>) {
    setBusy(true);
    setMessage(undefined);
    try {
      setMessage({ tone: "info", text: await work() });
      router.refresh();
    } catch (failure) {
      setMessage({ tone: "error", text: failure instanceof Error ? failure.message : "That did not work." });
    } finally {
      setBusy(false);
    }
  }

  function changePassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    void run(async () => {
      await callApi("/api/v1/me/password", {
        method: "POST",
        body: {
          currentPassword: formText(form, "currentPassword"),
          newPassword: formText(form, "newPassword"),
        },
      });
      formElement.reset();
      return "Password changed. You were signed out everywhere else.";
    });
  }

  function createToken(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = formText(new FormData(formElement), "tokenName");
    void run(async () => {
      const created = await callApi<{ token: string }>("/api/v1/me/tokens", {
        method: "POST",
        body: { name },
      });
      setNewToken(created.token);
      formElement.reset();
      return "Token created. Copy it now: it is shown only once.";
    });
  }

  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <div aria-live="polite" className="flex flex-col gap-2 empty:hidden">
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
        {newToken ? (
          <p className="break-all rounded-md bg-slate-100 p-3 font-mono text-sm" data-testid="new-token">
            {newToken}
          </p>
        ) : null}
      </div>

      <section aria-labelledby="password-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="password-title" className="mb-3 text-base font-semibold">
          Change password
        </h2>
        <form onSubmit={changePassword} className="flex flex-col gap-3">
          <Field
            label="Current password"
            id="currentPassword"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
          <Field
            label="New password"
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={12}
            hint="At least 12 characters, and not a common password."
            required
          />
          <div>
            <button type="submit" disabled={busy} className={buttonClass}>
              Change password
            </button>
          </div>
        </form>
      </section>

      <section aria-labelledby="tokens-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="tokens-title" className="mb-1 text-base font-semibold">
          Personal API tokens
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Send as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1/*</code>. A token can do
          what you can do.
        </p>
        <form onSubmit={createToken} className="mb-4 flex items-end gap-2">
          <Field
            label="Token name"
            id="tokenName"
            name="tokenName"
            placeholder="e.g. reporting script"
            required
          />
          <button type="submit" disabled={busy} className={buttonClass}>
            Create token
          </button>
        </form>
        <table className="w-full text-sm">
          <caption className="sr-only">Your tokens</caption>
          <thead>
            <tr className="border-b border-slate-200 text-left">
              <th scope="col" className="p-2">
                Name
              </th>
              <th scope="col" className="p-2">
                Starts with
              </th>
              <th scope="col" className="p-2">
                Created
              </th>
              <th scope="col" className="p-2">
                Last used
              </th>
              <th scope="col" className="p-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} className="border-b border-slate-100">
                <td className="p-2">{token.name}</td>
                <td className="p-2 font-mono text-xs">{token.displayPrefix}…</td>
                <td className="p-2">{day(token.createdAt)}</td>
                <td className="p-2">{day(token.lastUsedAt)}</td>
                <td className="p-2">
                  {token.revokedAt ? (
                    "Revoked"
                  ) : (
                    <button
                      type="button"
                      disabled={busy}
                      className={secondaryButtonClass}
                      onClick={() =>
                        void run(async () => {
                          await callApi(`/api/v1/me/tokens/${token.id}`, { method: "DELETE" });
                          return `Token "${token.name}" revoked.`;
                        })
                      }
                    >
                      Revoke<span className="sr-only"> {token.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="everywhere-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="everywhere-title" className="mb-1 text-base font-semibold">
          Sign out everywhere
        </h2>
        <p className="mb-3 text-sm text-slate-600">Ends every session on every device, this one included.</p>
        <button
          type="button"
          disabled={busy}
          className={secondaryButtonClass}
          onClick={() =>
            void (async () => {
              setBusy(true);
              await callApi("/api/v1/me/sign-out-everywhere", { method: "POST" }).catch(() => undefined);
              navigateTo("/sign-in");
            })()
          }
        >
          Sign out everywhere
        </button>
      </section>
    </div>
  );
}
