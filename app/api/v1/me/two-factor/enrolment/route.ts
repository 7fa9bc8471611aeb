import { enrolmentContext } from "@/lib/auth/actor";
import { totpQrDataUrl } from "@/lib/auth/qr";
import { sessionSetCookie } from "@/lib/auth/session-token";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/domain/auth";
import { readJson, route, unparsed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The pending authenticator secret: as text, as an otpauth:// URI and as a QR code image. */
export const GET = route(async (request) => {
  const ctx = await enrolmentContext(request);
  const start = await beginTotpEnrolment({ ctx });
  return Response.json(
    { ...start, qrCodeDataUrl: await totpQrDataUrl(start.otpauthUri) },
    { headers: { "cache-control": "no-store" } },
  );
});

/** Confirms with a first code; answers the recovery codes (once) and a fully signed-in session. */
export const POST = route(async (request) => {
  const ctx = await enrolmentContext(request);
  const result = await confirmTotpEnrolment({ ctx, input: unparsed(await readJson(request)) });
  const cookie = await sessionSetCookie({
    userId: ctx.user.id,
    sessionVersion: result.sessionVersion,
    twoFactor: true,
  });
  return Response.json(
    { recoveryCodes: result.recoveryCodes },
    { headers: { "set-cookie": cookie, "cache-control": "no-store" } },
  );
});
