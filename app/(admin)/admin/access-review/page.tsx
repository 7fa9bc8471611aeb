import type { Metadata } from "next";
import { AccessReview } from "@/components/admin/access-review";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";
import { listAccessReview } from "@/lib/domain/access-reviews";

export const metadata: Metadata = { title: "Access review" };
export const dynamic = "force-dynamic";

export default async function AccessReviewPage() {
  const { user, ctx } = await requirePageSession("access_reviews.manage");
  const entries = await listAccessReview({ ctx });
  return (
    <AppShell title="Access review" currentPath="/admin/access-review" user={user}>
      <p className="mb-4 max-w-2xl text-sm text-slate-600">
        Confirm that everyone here still needs access, or revoke it. People who have not signed in for 30 days
        and reviews older than 90 days are flagged and listed first.
      </p>
      <AccessReview entries={entries} currentUserId={user.id} />
    </AppShell>
  );
}
