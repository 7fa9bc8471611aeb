import type { Metadata } from "next";
import Image from "next/image";
import { EnrolForm } from "@/components/auth/enrol-form";
import { requireEnrolmentSession } from "@/lib/auth/page";
import { totpQrDataUrl } from "@/lib/auth/qr";
import { beginTotpEnrolment } from "@/lib/domain/auth";

export const metadata: Metadata = { title: "Set up two-factor authentication" };
export const dynamic = "force-dynamic";

export default async function EnrolPage() {
  const { ctx } = await requireEnrolmentSession();
  const start = await beginTotpEnrolment({ ctx });
  const qr = await totpQrDataUrl(start.otpauthUri);
  const grouped = start.secret.match(/.{1,4}/g)?.join(" ") ?? start.secret;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <section
        aria-labelledby="enrol-title"
        className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      >
        <h1 id="enrol-title" className="text-xl font-semibold">
          Set up two-factor authentication
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          Parley asks everyone for a code from an authenticator app when signing in. Scan this QR code with
          your app (Google Authenticator, Microsoft Authenticator, 1Password, …).
        </p>
        <Image
          src={qr}
          alt="QR code for your authenticator app"
          width={220}
          height={220}
          unoptimized
          className="mx-auto my-4"
        />
        <p className="text-sm text-slate-600">Can&apos;t scan it? Enter this key in the app instead:</p>
        <p
          className="my-2 rounded-md bg-slate-100 p-3 text-center font-mono text-sm tracking-wider"
          data-testid="totp-secret"
        >
          {grouped}
        </p>
        <p className="mb-4 text-xs text-slate-500">
          Account: {start.accountName} · issuer: {start.issuer} · time-based, 6 digits, every 30 seconds
        </p>
        <EnrolForm />
      </section>
    </main>
  );
}
