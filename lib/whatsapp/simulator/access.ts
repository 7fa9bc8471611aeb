import { getRequestActor } from "@/lib/auth/actor";
import { requirePermission, type Actor } from "@/lib/domain/context";
import { NotFoundError } from "@/lib/domain/errors";
import { whatsappConfig, type WhatsAppConfig } from "../config";

/**
 * The one check in front of the simulator's page and API (the Graph stand-in has its own bearer
 * token). Off unless simulator mode is on (production needs WHATSAPP_MODE=simulator); then open
 * to anyone in development (or a demo that says WHATSAPP_SIMULATOR_ACCESS=anyone), to admins
 * (simulator.use) otherwise.
 */
export async function checkSimulatorAccess(
  config: Pick<WhatsAppConfig, "simulatorEnabled" | "simulatorAccess">,
  request: Request,
  actorOf: (request: Request) => Promise<Actor> = getRequestActor,
): Promise<void> {
  if (!config.simulatorEnabled) throw new NotFoundError("The WhatsApp simulator is off on this server.");
  if (config.simulatorAccess === "anyone") return;
  requirePermission(await actorOf(request), "simulator.use");
}

export function requireSimulatorAccess(request: Request): Promise<void> {
  return checkSimulatorAccess(whatsappConfig(), request);
}
