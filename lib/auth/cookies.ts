import { getEnv } from "@/lib/env";

/** Cookies are Secure (and __Secure- prefixed) exactly when the public URL is https. */
export function secureCookies(): boolean {
  return getEnv().appUrl.startsWith("https://");
}

/** next-auth's own name for the session cookie, which the app, the API and the sockets all read. */
export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

export function parseCookieHeader(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const raw = part.slice(index + 1).trim();
    if (name in cookies) continue;
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}

export interface CookieToSet {
  name: string;
  value: string;
  maxAgeSeconds: number;
}

/** Set-Cookie for our own session cookie: http-only, SameSite=Lax, Secure over https. */
export function serializeCookie({ name, value, maxAgeSeconds }: CookieToSet): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    `Max-Age=${maxAgeSeconds}`,
    `Expires=${new Date(Date.now() + maxAgeSeconds * 1000).toUTCString()}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (secureCookies()) parts.push("Secure");
  return parts.join("; ");
}

/** Set-Cookie that removes the session cookie from this browser. */
export function clearSessionCookie(): string {
  return serializeCookie({ name: sessionCookieName(), value: "", maxAgeSeconds: 0 });
}
