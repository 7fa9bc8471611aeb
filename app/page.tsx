import { AppShell } from "@/components/shell/app-shell";
import { InboxApp } from "@/components/inbox/inbox-app";

export default function InboxPage() {
  return (
    <AppShell title="Inbox" currentPath="/" fullBleed>
      <InboxApp />
    </AppShell>
  );
}
