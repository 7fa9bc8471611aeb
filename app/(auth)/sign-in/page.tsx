import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { optionalPageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string>>;
}) {
  if (await optionalPageSession()) redirect("/");
  const { ended } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <section
        aria-labelledby="sign-in-title"
        className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      >
        <h1 id="sign-in-title" className="mb-4 text-xl font-semibold">
          Sign in to Parley
        </h1>
        <SignInForm notice={ended ? "Your session has ended; sign in again." : undefined} />
      </section>
    </main>
  );
}
