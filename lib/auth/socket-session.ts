import { getDb } from "@/lib/db";
import { resolveSessionUser } from "@/lib/domain/auth";
import { inboxesOfUsers } from "@/lib/domain/users/inboxes-of";
import { parseCookieHeader, sessionCookieName } from "./cookies";
import { decodeSessionToken } from "./session-token";

export interface SocketIdentity {
  userId: string;
  name: string;
  inboxIds: string[];
}

/**
 * The user behind a Socket.IO handshake, from the same session cookie the pages use: active,
 * current session version, 2FA done. Undefined when any of that is missing.
 */
export async function authenticateSocketHandshake(
  cookieHeader: string | undefined,
): Promise<SocketIdentity | undefined> {
  const claims = await decodeSessionToken(parseCookieHeader(cookieHeader)[sessionCookieName()]);
  if (!claims) return undefined;
  const db = await getDb();
  try {
    const user = await resolveSessionUser(db, claims);
    const inboxes = (await inboxesOfUsers(db, [user.id])).get(user.id) ?? [];
    return { userId: user.id, name: user.name, inboxIds: inboxes.map((inbox) => inbox.id) };
  } catch {
    return undefined;
  }
}
