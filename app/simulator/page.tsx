import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import Link from "next/link";
import { CustomerPhone } from "@/components/simulator/customer-phone";
import { NotFoundError, UnauthenticatedError } from "@/lib/domain/errors";
import { requireSimulatorAccess } from "@/lib/whatsapp/simulator/access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Customer phone" };

/** The WhatsApp simulator: play a customer of one of the business's numbers. */
export default async function SimulatorPage() {
  try {
    await requireSimulatorAccess(new Request("http://localhost/simulator", { headers: await headers() }));
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    return (
      <main className="mx-auto max-w-xl p-8">
        <h1 className="text-lg font-semibold">Customer phone</h1>
        <p role="alert" className="mt-2 text-sm text-slate-700">
          {error instanceof UnauthenticatedError
            ? "Sign in as an admin to use the WhatsApp simulator."
            : "Only admins can use the WhatsApp simulator."}
        </p>
        <Link href="/" className="mt-4 inline-block text-sm font-semibold text-brand-700 underline">
          Back to the inbox
        </Link>
      </main>
    );
  }
  return (
    <main className="min-h-screen p-6">
      <header className="mb-4 flex items-baseline justify-between">
        <div>
          <h1 className="text-lg font-semibold">Customer phone</h1>
          <p className="text-sm text-slate-600">
            WhatsApp simulator: write as a customer; the business&apos;s replies arrive here with their ticks.
          </p>
        </div>
        <Link href="/" className="text-sm font-semibold text-brand-700 underline">
          Open the inbox
        </Link>
      </header>
      <CustomerPhone />
    </main>
  );
}
