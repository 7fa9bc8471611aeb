import { InboxApp } from "@/components/inbox/inbox-app";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function InboxPage() {
  const { user } = await requirePageSession();
  return (
    <AppShell title="Inbox" currentPath="/" user={user} fullBleed>
      <InboxApp />
    </AppShell>
  );
}
