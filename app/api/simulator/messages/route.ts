import { getDb } from "@/lib/db";
import { InvalidInputError } from "@/lib/domain/errors";
import { readJsonObject } from "@/lib/http/body";
import { route, unparsed } from "@/lib/http/route";
import { whatsappConfig } from "@/lib/whatsapp/config";
import { requireSimulatorAccess } from "@/lib/whatsapp/simulator/access";
import { sendAsCustomer } from "@/lib/whatsapp/simulator/customer";
import { httpWebhookDeliverer } from "@/lib/whatsapp/simulator/delivery";

export const dynamic = "force-dynamic";

/** The customer's fields, from JSON or (with an image) from multipart form data. */
async function readInput(request: Request): Promise<Record<string, unknown>> {
  if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) return readJsonObject(request);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new InvalidInputError("The form could not be read.");
  }
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const file = form.get("image");
  return {
    phoneNumberId: field("phoneNumberId"),
    customer: field("customer"),
    name: field("name"),
    text: field("text"),
    replyToWamid: field("replyToWamid"),
    image:
      file instanceof Blob && file.size > 0
        ? {
            data: Buffer.from(await file.arrayBuffer()),
            mimeType: file.type,
            filename: file instanceof File ? file.name : undefined,
          }
        : undefined,
  };
}

/** Sends as the customer: the message reaches Parley as a signed webhook, like Meta's. */
export const POST = route(async (request) => {
  await requireSimulatorAccess(request);
  const config = whatsappConfig();
  const message = await sendAsCustomer(
    {
      db: await getDb(),
      now: () => new Date(),
      deliver: httpWebhookDeliverer(config.webhookUrl, config.appSecret),
    },
    unparsed(await readInput(request)),
  );
  return Response.json(message, { status: 201 });
});
