"use client";

import { navigateTo } from "@/components/ui/field";
import { useState } from "react";
import { signOut } from "./next-auth-client";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await signOut().catch(() => undefined);
        navigateTo("/sign-in");
      }}
      className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-50"
    >
      Sign out
    </button>
  );
}
