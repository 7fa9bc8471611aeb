"use client";

import { useRef, useState, type FormEvent } from "react";
import { Alert, buttonClass, Field, formText, navigateTo } from "@/components/ui/field";
import { csrfToken, errorOf } from "./next-auth-client";

/**
 * Email and password first; when the account has 2FA the code field appears and the same form is
 * sent again with it. Uses next-auth's standard credentials callback, like any script would.
 */
export function SignInForm({ notice }: { notice?: string }) {
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const form = new FormData(event.currentTarget);
    try {
      const response = await fetch("/api/auth/callback/credentials", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          email: formText(form, "email"),
          password: formText(form, "password"),
          code: formText(form, "code"),
          csrfToken: await csrfToken(),
          json: "true",
        }),
      });
      if (response.ok) {
        navigateTo("/");
        return;
      }
      const problem = await errorOf(response);
      if (problem.details?.secondFactorRequired === true) {
        setNeedsCode(true);
        setTimeout(() => codeRef.current?.focus(), 0);
        setError(needsCode ? problem.message : undefined);
      } else {
        setError(problem.message);
      }
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "Sign-in failed; try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate aria-describedby="sign-in-status">
      <div id="sign-in-status" aria-live="polite" className="empty:hidden">
        {error ? <Alert>{error}</Alert> : null}
        {!error && notice ? <Alert tone="info">{notice}</Alert> : null}
      </div>
      <Field
        label="Email"
        id="email"
        name="email"
        type="email"
        autoComplete="username"
        required
        readOnly={needsCode}
      />
      <Field
        label="Password"
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        readOnly={needsCode}
      />
      {needsCode ? (
        <Field
          ref={codeRef}
          label="Authentication code"
          id="code"
          name="code"
          inputMode="text"
          autoComplete="one-time-code"
          hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          required
        />
      ) : null}
      <button type="submit" disabled={busy} className={buttonClass}>
        {busy ? "Signing in…" : needsCode ? "Verify and sign in" : "Sign in"}
      </button>
    </form>
  );
}
