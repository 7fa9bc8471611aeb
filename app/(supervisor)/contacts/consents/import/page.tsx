import type { Metadata } from "next";
import { ConsentImport } from "@/components/consents/consent-import";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { getMe } from "@/lib/domain/users";

export const metadata: Metadata = { title: "Import consents" };
export const dynamic = "force-dynamic";

export default async function ConsentImportPage() {
  const { user, ctx } = await requirePageSession("consents.import");
  const me = await getMe({ ctx });
  return (
    <AppShell title="Import consents" currentPath="/contacts/consents/import" user={user}>
      <ConsentImport inboxes={me.inboxes} />
    </AppShell>
  );
}
