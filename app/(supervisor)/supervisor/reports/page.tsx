import type { Metadata } from "next";
import { SlaReports } from "@/components/sla/sla-reports";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { getMe } from "@/lib/domain/users";

export const metadata: Metadata = { title: "Reports" };
export const dynamic = "force-dynamic";

export default async function ReportsPage() {
  const { user, ctx } = await requirePageSession("reports.read");
  const me = await getMe({ ctx });
  return (
    <AppShell title="Reports" currentPath="/supervisor/reports" user={user}>
      <SlaReports inboxes={me.inboxes} />
    </AppShell>
  );
}
