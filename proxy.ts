import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { contentSecurityPolicy, createNonce } from "@/lib/http/security-headers";

/**
 * A Content-Security-Policy with a fresh nonce on every page. Next.js reads the nonce from the
 * policy on the request and puts it on its own scripts, so the request carries it too.
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy(createNonce(), { production: getEnv().isProduction });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Pages only: API routes answer JSON (the two download routes set their own policy) and static
  // files need none. Prefetches are skipped: their payload is not a document.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
