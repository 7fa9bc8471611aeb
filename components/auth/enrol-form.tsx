"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert, buttonClass, Field, formText } from "@/components/ui/field";
import { errorOf } from "./next-auth-client";

/** Confirms the authenticator with a first code, then shows the recovery codes once. */
export function EnrolForm() {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<string[] | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const code = formText(new FormData(event.currentTarget), "code").replace(/\s/g, "");
    const response = await fetch("/api/v1/me/two-factor/enrolment", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
    setBusy(false);
    if (!response.ok) {
      setError((await errorOf(response)).message);
      return;
    }
    setCodes(((await response.json()) as { recoveryCodes: string[] }).recoveryCodes);
  }

  if (codes) {
    return (
      <section aria-labelledby="recovery-title" className="flex flex-col gap-4">
        <Alert tone="info">Two-factor authentication is on.</Alert>
        <h2 id="recovery-title" className="text-lg font-semibold">
          Your recovery codes
        </h2>
        <p className="text-sm text-slate-600">
          Each code signs you in once if you lose your phone. Store them somewhere safe now: they are shown
          only this once.
        </p>
        <ul
          aria-label="Recovery codes"
          className="grid grid-cols-2 gap-2 rounded-md bg-slate-100 p-4 font-mono text-sm"
        >
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ul>
        <Link href="/" className={buttonClass}>
          I have saved them — continue to Parley
        </Link>
      </section>
    );
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <div aria-live="polite" className="empty:hidden">
        {error ? <Alert>{error}</Alert> : null}
      </div>
      <Field
        label="First code from your app"
        id="code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]*"
        hint="6 digits"
        required
      />
      <button type="submit" disabled={busy} className={buttonClass}>
        {busy ? "Checking…" : "Turn on two-factor authentication"}
      </button>
    </form>
  );
}
