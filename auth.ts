import { AsyncLocalStorage } from "node:async_hooks";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authSecret } from "@/lib/auth/keys";
import { SESSION_MAX_AGE_SECONDS, tokenPayload } from "@/lib/auth/session-token";
import { secureCookies } from "@/lib/auth/cookies";
import { getDb } from "@/lib/db";
import { signInWithCredentials } from "@/lib/domain/auth";
import { getEnv } from "@/lib/env";

declare module "next-auth" {
  interface User {
    sessionVersion: number;
    twoFactor: boolean;
  }
}

/** One sign-in attempt: the client address going in, the domain's refusal (if any) coming out. */
export interface SignInAttempt {
  ip?: string;
  error?: unknown;
}
/** Lets the route wrapper turn next-auth's generic credentials failure into our 401/429 with a message. */
export const signInAttempt = new AsyncLocalStorage<SignInAttempt>();

let nextAuthUrlPinned = false;
/**
 * next-auth v4 takes its own base URL only from process.env.NEXTAUTH_URL (there is no option);
 * we derive it from APP_URL here, the one place it is set, so nobody has to configure it twice.
 */
function pinNextAuthUrl() {
  if (nextAuthUrlPinned) return;
  process.env.NEXTAUTH_URL = `${getEnv().appUrl.replace(/\/$/, "")}/api/auth`;
  nextAuthUrlPinned = true;
}

/** next-auth: email + password + (TOTP or recovery code) through the credentials provider, JWT sessions. */
export function authOptions(): AuthOptions {
  pinNextAuthUrl();
  return {
    secret: authSecret(),
    useSecureCookies: secureCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Parley",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          code: { label: "Authenticator or recovery code", type: "text" },
        },
        async authorize(credentials) {
          const attempt = signInAttempt.getStore();
          try {
            const user = await signInWithCredentials({
              ctx: {
                db: await getDb(),
                actor: { kind: "system", reason: "sign-in" },
                now: new Date(),
                ip: attempt?.ip,
              },
              input: {
                email: credentials?.email ?? "",
                password: credentials?.password ?? "",
                code: credentials?.code,
              },
            });
            return user;
          } catch (error) {
            if (attempt) attempt.error = error;
            return null;
          }
        },
      }),
    ],
    callbacks: {
      // next-auth's default throws on a callbackUrl that is no URL ("\\evil", "%2F%2Fevil"), a 500;
      // ours never throws and only ever answers a page of our own origin.
      redirect: ({ url, baseUrl }) => safeRedirect(url, baseUrl),
      jwt({ token, user }) {
        // Only what each request needs to re-check the user row; the role is read fresh every time.
        if (user)
          return tokenPayload({
            userId: user.id,
            sessionVersion: user.sessionVersion,
            twoFactor: user.twoFactor,
          });
        return token;
      },
    },
    logger: {
      error: () => {},
      warn: () => {},
      debug: () => {},
    },
  };
}

/**
 * Where to send the browser after sign-in or sign-out: the callback URL only when it resolves to
 * a page of our own origin over http(s); anything else (other hosts, `//evil`, `/\\evil`,
 * `javascript:`, unparsable text) goes home.
 */
export function safeRedirect(url: string, baseUrl: string): string {
  try {
    const base = new URL(baseUrl);
    const target = new URL(url, base);
    if (target.origin !== base.origin || !["http:", "https:"].includes(target.protocol)) return base.href;
    return target.href;
  } catch {
    return baseUrl;
  }
}
