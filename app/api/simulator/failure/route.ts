import { getDb } from "@/lib/db";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";
import { requireSimulatorAccess } from "@/lib/whatsapp/simulator/access";
import { readSimulatorFailure, setSimulatorFailure } from "@/lib/whatsapp/simulator/control";

export const dynamic = "force-dynamic";

/** How the Graph API stand-in answers sends now. */
export const GET = route(async (request) => {
  await requireSimulatorAccess(request);
  return Response.json(await readSimulatorFailure(await getDb()));
});

/** Body: `{ "kind": "server_error" | "timeout" | "accept_then_timeout" | "graph_error" | "failed_status" | "drop_connection" | "accept_then_drop" | "none", "code"?, "times"? }`. */
export const PUT = route(async (request) => {
  await requireSimulatorAccess(request);
  const body = await readJsonObject(request);
  return Response.json(await setSimulatorFailure(await getDb(), unparsed(body), new Date()));
});
