import { getDb } from "@/lib/db";
import type { Ctx } from "@/lib/domain/context";
import { clientIpOf } from "./client-ip";

/** The context of work Parley does itself (webhooks, workers): the system actor, no session. */
export async function systemContext(reason: string, request?: Request): Promise<Ctx> {
  return {
    actor: { kind: "system", reason },
    db: await getDb(),
    now: new Date(),
    ip: request ? clientIpOf(request) : undefined,
  };
}
