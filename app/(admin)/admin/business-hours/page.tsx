import type { Metadata } from "next";
import { BusinessHoursAdmin } from "@/components/admin/business-hours-admin";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { listInboxSlaSettings } from "@/lib/domain/sla";
import { offHoursVariables } from "@/lib/sla/off-hours";

export const metadata: Metadata = { title: "Business hours" };
export const dynamic = "force-dynamic";

export default async function BusinessHoursPage() {
  const { user, ctx } = await requirePageSession("business_hours.manage");
  const inboxes = await listInboxSlaSettings({ ctx });
  return (
    <AppShell title="Business hours" currentPath="/admin/business-hours" user={user}>
      <BusinessHoursAdmin
        inboxes={inboxes.map(({ inboxId, inboxName, calendar, policy, offHoursReply }) => ({
          inboxId,
          inboxName,
          calendar,
          policy,
          offHoursReply,
        }))}
        timeZones={Intl.supportedValuesOf("timeZone")}
        variables={[...offHoursVariables]}
      />
    </AppShell>
  );
}
