import { getDb } from "@/lib/db";
import { route } from "@/lib/http/route";
import { requireSimulatorAccess } from "@/lib/whatsapp/simulator/access";
import { listSimulatorInboxes } from "@/lib/whatsapp/simulator/customer";

export const dynamic = "force-dynamic";

/** The business numbers and the customers one can play on the Customer phone. */
export const GET = route(async (request) => {
  await requireSimulatorAccess(request);
  return Response.json({ items: await listSimulatorInboxes(await getDb()) });
});
