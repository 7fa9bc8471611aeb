import type { Metadata } from "next";
import { PrivacyAdmin } from "@/components/admin/privacy-admin";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { getPrivacyOverview } from "@/lib/domain/privacy";

export const metadata: Metadata = { title: "Privacy and retention" };
export const dynamic = "force-dynamic";

export default async function PrivacyPage() {
  const { user, ctx } = await requirePageSession("retention.manage");
  const { settings, runs } = await getPrivacyOverview({ ctx });
  return (
    <AppShell title="Privacy and retention" currentPath="/admin/privacy" user={user}>
      <PrivacyAdmin
        settings={{
          retentionDays: settings.retentionDays,
          keepMaskedOriginals: settings.keepMaskedOriginals,
          maskedOriginalDays: settings.maskedOriginalDays,
        }}
        runs={runs.map((run) => ({
          id: run.id,
          startedAt: run.startedAt.toISOString(),
          finishedAt: run.finishedAt?.toISOString() ?? null,
          retentionDays: run.retentionDays,
          conversationsRedacted: run.conversationsRedacted,
          messagesRedacted: run.messagesRedacted,
          originalsDeleted: run.originalsDeleted,
          batches: run.batches,
          error: run.error,
        }))}
      />
    </AppShell>
  );
}
