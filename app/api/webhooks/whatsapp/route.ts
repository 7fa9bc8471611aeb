import { UnauthenticatedError } from "@/lib/domain/errors";
import { ingestWhatsAppWebhook } from "@/lib/domain/webhooks/ingest";
import { systemContext } from "@/lib/http/context";
import { readBodyBytes } from "@/lib/http/raw-body";
import { route } from "@/lib/http/route";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { isValidWebhookSignature } from "@/lib/whatsapp/signature";
import { answerVerification } from "@/lib/whatsapp/verification";

export const dynamic = "force-dynamic";

/** Meta sends up to about 3 MB per delivery. */
const BODY_LIMIT = 3 * 1024 * 1024;

/** Webhook registration: echoes hub.challenge when hub.verify_token matches. */
export function GET(request: Request) {
  return answerVerification(new URL(request.url).searchParams, whatsappConfig().verifyToken);
}

/** Meta's deliveries: raw bytes → signature → one transaction → 200 (then socket events). */
export const POST = route(async (request) => {
  const raw = await readBodyBytes(request, BODY_LIMIT);
  const signature = request.headers.get("x-hub-signature-256");
  if (!isValidWebhookSignature(raw, signature, whatsappConfig().appSecret)) {
    throw new UnauthenticatedError(
      "The X-Hub-Signature-256 signature is missing or does not match the body.",
    );
  }
  await ingestWhatsAppWebhook({
    ctx: await systemContext("whatsapp webhook", request),
    input: { rawBody: new TextDecoder().decode(raw), signature },
  });
  return Response.json({ received: true });
});
