import type { Metadata } from "next";
import { AccountSettings } from "@/components/account/account-settings";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { listApiTokens } from "@/lib/domain/api-tokens";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const { user, ctx } = await requirePageSession();
  const tokens = await listApiTokens({ ctx });
  return (
    <AppShell title="Your account" currentPath="/account" user={user}>
      <AccountSettings tokens={tokens} />
    </AppShell>
  );
}
