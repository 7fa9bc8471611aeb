import { systemContext } from "@/lib/http/context";
import { readBodyBytes } from "@/lib/http/raw-body";
import { route } from "@/lib/http/route";
import { receiveWhatsAppWebhook, WEBHOOK_BODY_LIMIT } from "@/lib/http/whatsapp-webhook";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { answerVerification } from "@/lib/whatsapp/verification";

export const dynamic = "force-dynamic";

/** Webhook registration: echoes hub.challenge when hub.verify_token matches. */
export function GET(request: Request) {
  return answerVerification(new URL(request.url).searchParams, whatsappConfig().verifyToken);
}

/**
 * Meta's deliveries: raw bytes → signature → the raw event committed → 200; processing follows off
 * the request. server.ts answers these POSTs itself (`answerWebhookDirectly`) with the same verb;
 * this handler serves `next dev` without the custom server and the tests.
 */
export const POST = route(async (request) => {
  const raw = await readBodyBytes(request, WEBHOOK_BODY_LIMIT);
  await receiveWhatsAppWebhook(
    await systemContext("whatsapp webhook", request),
    raw,
    request.headers.get("x-hub-signature-256"),
  );
  return Response.json({ received: true });
});
