import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { resolveSessionUser, type SessionUser } from "@/lib/domain/auth";
import type { Ctx } from "@/lib/domain/context";
import { userCan } from "@/lib/domain/context";
import { DomainError, ForbiddenError } from "@/lib/domain/errors";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import type { Permission } from "./permissions";
import { sessionCookieName } from "./cookies";
import { decodeSessionToken } from "./session-token";

export interface PageSession {
  user: SessionUser;
  ctx: Ctx;
}

async function pageSession(allowEnrolment: boolean): Promise<PageSession | "signed-out" | "enrol"> {
  const claims = await decodeSessionToken((await cookies()).get(sessionCookieName())?.value);
  if (!claims) return "signed-out";
  try {
    const db = await getDb();
    const user = await resolveSessionUser(db, claims, { allowEnrolment });
    const ip = (await headers()).get(CLIENT_IP_HEADER) ?? undefined;
    return {
      user,
      ctx: {
        actor: { kind: "user", userId: user.id, role: user.role, name: user.name, via: "session" },
        db,
        now: new Date(),
        ip,
      },
    };
  } catch (error) {
    if (error instanceof ForbiddenError) return "enrol";
    if (error instanceof DomainError) return "signed-out";
    throw error;
  }
}

/**
 * For pages: the signed-in user and a domain context, or a redirect to /sign-in (no or ended
 * session) or /enroll (2FA not set up). With a permission, a role without it gets the 403 page.
 */
export async function requirePageSession(permission?: Permission): Promise<PageSession> {
  const session = await pageSession(false);
  if (session === "signed-out") redirect("/sign-in");
  if (session === "enrol") redirect("/enroll");
  if (permission && !userCan(session.ctx.actor, permission)) redirect("/forbidden");
  return session;
}

/** For /enroll: a session waiting for 2FA set-up (an enrolled user is sent home). */
export async function requireEnrolmentSession(): Promise<PageSession> {
  const session = await pageSession(true);
  if (session === "signed-out" || session === "enrol") redirect("/sign-in");
  if (session.user.twoFactorEnabled) redirect("/");
  return session;
}

/** The signed-in user if any, without redirecting (the sign-in page uses it to skip itself). */
export async function optionalPageSession(): Promise<PageSession | undefined> {
  const session = await pageSession(false);
  return typeof session === "string" ? undefined : session;
}
