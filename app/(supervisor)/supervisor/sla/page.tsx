import type { Metadata } from "next";
import { SlaBoard } from "@/components/sla/sla-board";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { getMe } from "@/lib/domain/users";

export const metadata: Metadata = { title: "SLA board" };
export const dynamic = "force-dynamic";

export default async function SlaBoardPage() {
  const { user, ctx } = await requirePageSession("sla.read");
  const me = await getMe({ ctx });
  return (
    <AppShell title="SLA board" currentPath="/supervisor/sla" user={user}>
      <SlaBoard inboxes={me.inboxes} />
    </AppShell>
  );
}
