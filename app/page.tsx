import { AppShell } from "@/components/shell/app-shell";
import { requirePageSession } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

export default async function InboxHome() {
  const { user } = await requirePageSession();
  return (
    <AppShell title="Inbox" currentPath="/" user={user}>
      <section
        aria-labelledby="welcome"
        className="max-w-2xl rounded-lg border border-slate-200 bg-white p-6"
      >
        <h2 id="welcome" className="text-lg font-semibold">
          Welcome to Parley
        </h2>
        <p className="mt-2 text-sm text-slate-600">
          One shared inbox for your team&apos;s WhatsApp Business conversations. The live inbox and the
          response-time board arrive here as they are built.
        </p>
      </section>
    </AppShell>
  );
}
