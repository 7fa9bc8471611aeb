import { getRequestActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import type { Ctx } from "@/lib/domain/context";

/** The client's address: the first X-Forwarded-For hop (set by our proxy), if any. */
export function clientIp(request: Request): string | undefined {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || undefined;
}

/** The domain context of an authenticated request: its actor, the database and the time now. */
export async function requestContext(request: Request): Promise<Ctx> {
  const actor = await getRequestActor(request);
  return { actor, db: await getDb(), now: new Date(), ip: clientIp(request) };
}

/** The context of work Parley does itself (webhooks, workers): the system actor, no session. */
export async function systemContext(reason: string, request?: Request): Promise<Ctx> {
  return {
    actor: { kind: "system", reason },
    db: await getDb(),
    now: new Date(),
    ip: request ? clientIp(request) : undefined,
  };
}
