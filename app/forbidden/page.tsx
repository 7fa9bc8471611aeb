import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Not allowed" };

export default function ForbiddenPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <section className="max-w-md rounded-lg border border-slate-200 bg-white p-6">
        <h1 className="text-xl font-semibold">Your role does not allow this page</h1>
        <p className="mt-2 text-sm text-slate-600">Ask an admin if you need access.</p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
          Back to the inbox
        </Link>
      </section>
    </main>
  );
}
