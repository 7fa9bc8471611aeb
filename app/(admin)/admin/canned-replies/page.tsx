import type { Metadata } from "next";
import { CannedRepliesAdmin } from "@/components/admin/canned-replies-admin";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { cannedReplyVariables, listCannedRepliesToManage } from "@/lib/domain/canned-replies";

export const metadata: Metadata = { title: "Canned replies" };
export const dynamic = "force-dynamic";

export default async function CannedRepliesPage() {
  const { user, ctx } = await requirePageSession("canned_replies.manage");
  const { replies, inboxes } = await listCannedRepliesToManage({ ctx });
  return (
    <AppShell title="Canned replies" currentPath="/admin/canned-replies" user={user}>
      <CannedRepliesAdmin
        replies={replies.map(({ id, inboxId, shortcut, title, body }) => ({
          id,
          inboxId,
          shortcut,
          title,
          body,
        }))}
        inboxes={inboxes}
        variables={[...cannedReplyVariables]}
      />
    </AppShell>
  );
}
