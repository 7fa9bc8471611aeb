import { getDb } from "@/lib/db";
import { NotFoundError } from "@/lib/domain/errors";
import { route } from "@/lib/http/route";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { handleGraphRequest } from "@/lib/whatsapp/simulator/graph-stand-in";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ path: string[] }> };

/** The simulator's stand-in for Meta's Graph API (the app's own Graph client calls it in simulator mode). */
const handler = route<Params>(async (request, { params }) => {
  const config = whatsappConfig();
  if (!config.simulatorEnabled || !config.accessToken) {
    throw new NotFoundError("The WhatsApp simulator is off on this server.");
  }
  return handleGraphRequest(request, (await params).path, {
    db: await getDb(),
    now: () => new Date(),
    accessToken: config.accessToken,
    baseUrl: config.apiBaseUrl,
  });
});

export const GET = handler;
export const POST = handler;
