import { createHash } from "node:crypto";
import { and, asc, desc, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/lib/db";
import { contacts, inboxes, simulatorMedia, simulatorMessages, type SimulatorMessage } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/domain/errors";
import type { WebhookDeliverer } from "./delivery";
import { customerMessageWebhook, newMediaId, newWamid, serializeLikeMeta } from "./payloads";

/** The "Customer phone": a person plays a customer of one of the business's numbers. */

export interface SimulatorInbox {
  id: string;
  name: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  customers: { waId: string; name: string }[];
}

/** The business numbers, each with customers to play: its contacts and anyone already simulated. */
export async function listSimulatorInboxes(db: Database): Promise<SimulatorInbox[]> {
  const rows = await db.select().from(inboxes).orderBy(asc(inboxes.name));
  const result: SimulatorInbox[] = [];
  for (const inbox of rows) {
    const known = await db
      .select({ waId: contacts.waId, name: contacts.profileName })
      .from(contacts)
      .where(
        and(eq(contacts.inboxId, inbox.id), isNotNull(contacts.waId), sql`${contacts.anonymizedAt} is null`),
      )
      .orderBy(desc(contacts.updatedAt))
      .limit(100);
    const simulated = await db
      .selectDistinctOn([simulatorMessages.customer], {
        waId: simulatorMessages.customer,
        name: simulatorMessages.customerName,
      })
      .from(simulatorMessages)
      .where(
        and(
          eq(simulatorMessages.phoneNumberId, inbox.phoneNumberId),
          isNotNull(simulatorMessages.customerName),
        ),
      )
      .orderBy(simulatorMessages.customer, desc(simulatorMessages.createdAt))
      .limit(100);
    const customers = new Map<string, string>();
    for (const row of [...simulated, ...known]) {
      if (row.waId && !customers.has(row.waId)) customers.set(row.waId, row.name ?? `+${row.waId}`);
    }
    result.push({
      id: inbox.id,
      name: inbox.name,
      phoneNumberId: inbox.phoneNumberId,
      displayPhoneNumber: inbox.displayPhoneNumber,
      customers: [...customers]
        .map(([waId, name]) => ({ waId, name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    });
  }
  return result;
}

const waId = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s+()-]/g, ""))
  .pipe(z.string().regex(/^\d{6,15}$/, "phone must be 6 to 15 digits, with the country code"));

export const customerChatInput = z.object({
  phoneNumberId: z.string().trim().min(1, "phoneNumberId is required").max(64),
  customer: waId,
});
export type CustomerChatInput = z.input<typeof customerChatInput>;

/** What the customer's phone shows: both sides of the chat, oldest first. */
export async function readCustomerChat(db: Database, input: CustomerChatInput): Promise<SimulatorMessage[]> {
  const { phoneNumberId, customer } = customerChatInput.parse(input);
  const rows = await db
    .select()
    .from(simulatorMessages)
    .where(and(eq(simulatorMessages.phoneNumberId, phoneNumberId), eq(simulatorMessages.customer, customer)))
    .orderBy(desc(simulatorMessages.seq))
    .limit(200);
  return rows.reverse();
}

const imageTypes = ["image/jpeg", "image/png", "image/webp"] as const;

export const sendAsCustomerInput = z
  .object({
    phoneNumberId: z.string().trim().min(1, "phoneNumberId is required").max(64),
    customer: waId,
    name: z.string().trim().min(1, "name is required").max(100, "name must be at most 100 characters"),
    text: z.string().trim().max(4096, "text must be at most 4096 characters").optional(),
    replyToWamid: z.string().max(1024).optional(),
    image: z
      .object({
        data: z
          .instanceof(Buffer)
          .refine((data) => data.byteLength <= 5 * 1024 * 1024, "images are at most 5 MB"),
        mimeType: z.enum(imageTypes, { message: "images must be JPEG, PNG or WebP" }),
        filename: z.string().max(240).optional(),
      })
      .optional(),
  })
  .refine((value) => Boolean(value.text) || value.image !== undefined, {
    message: "Write a message or attach an image.",
  });
export type SendAsCustomerInput = z.input<typeof sendAsCustomerInput>;

/**
 * Sends a message as the customer: it reaches Parley as a webhook signed like Meta's, through the
 * same route and code as real traffic. Resolves to the message as the phone shows it.
 */
export async function sendAsCustomer(
  options: { db: Database; now: () => Date; deliver: WebhookDeliverer },
  input: SendAsCustomerInput,
): Promise<SimulatorMessage> {
  const data = sendAsCustomerInput.parse(input);
  const { db } = options;
  const [inbox] = await db.select().from(inboxes).where(eq(inboxes.phoneNumberId, data.phoneNumberId));
  if (!inbox) throw new NotFoundError("No inbox has that phone number id.");

  const at = options.now();
  let type = "text";
  let content: Record<string, unknown> = { text: { body: data.text ?? "" } };
  if (data.image) {
    const mediaId = newMediaId();
    const sha256 = createHash("sha256").update(data.image.data).digest("base64");
    await db.insert(simulatorMedia).values({
      id: mediaId,
      mimeType: data.image.mimeType,
      filename: data.image.filename ?? null,
      sha256,
      data: data.image.data,
      createdAt: at,
    });
    type = "image";
    content = {
      image: {
        ...(data.text ? { caption: data.text } : {}),
        mime_type: data.image.mimeType,
        sha256,
        id: mediaId,
      },
    };
  }

  const wamid = newWamid();
  const [row] = await db
    .insert(simulatorMessages)
    .values({
      phoneNumberId: inbox.phoneNumberId,
      customer: data.customer,
      customerName: data.name,
      direction: "to_business",
      wamid,
      type,
      body: data.text || null,
      payload: content,
      status: "sending",
      createdAt: at,
    })
    .returning();
  if (!row) throw new Error("simulator message insert returned no row");

  const raw = serializeLikeMeta(
    customerMessageWebhook({
      business: {
        phoneNumberId: inbox.phoneNumberId,
        displayPhoneNumber: inbox.displayPhoneNumber,
        wabaId: inbox.wabaId,
      },
      customer: { waId: data.customer, name: data.name },
      wamid,
      at,
      type,
      content,
      replyToWamid: data.replyToWamid,
    }),
  );
  const answer = await options.deliver(raw);
  const accepted = answer.status >= 200 && answer.status < 300;
  const [updated] = await db
    .update(simulatorMessages)
    .set(
      accepted
        ? { status: "sent" }
        : {
            status: "failed",
            error: `Parley answered the webhook with HTTP ${answer.status || "no response"}.`,
          },
    )
    .where(eq(simulatorMessages.id, row.id))
    .returning();
  return updated ?? row;
}
