import type { Metadata } from "next";
import { UsersAdmin } from "@/components/admin/users-admin";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { listUsers } from "@/lib/domain/users";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const { user, ctx } = await requirePageSession("users.manage");
  const { users, inboxes } = await listUsers({ ctx });
  return (
    <AppShell title="Users" currentPath="/admin/users" user={user}>
      <UsersAdmin users={users} inboxes={inboxes} currentUserId={user.id} />
    </AppShell>
  );
}
