import { z } from "zod";
import { outboundMediaTypes } from "@/lib/whatsapp/graph-client";

const conversationId = z.uuid({ message: "conversationId must be a UUID" });
const replyToMessageId = z.uuid({ message: "replyToMessageId must be a UUID" }).nullish();

/** The agent saw the sensitive-data warning and sends anyway (audited). */
const confirmSensitive = z.boolean({ message: "confirmSensitive must be true or false" }).default(false);

const httpsLink = z
  .url({ message: "link must be an absolute https URL" })
  .refine((value) => value.startsWith("https://"), {
    message: "link must be an https URL WhatsApp can fetch",
  });

export const sendMessageInput = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("text"),
      conversationId,
      body: z
        .string()
        .trim()
        .min(1, "body is required")
        .max(4096, "body must be at most 4096 characters (WhatsApp's limit)"),
      replyToMessageId,
      confirmSensitive,
    }),
    z.object({
      type: z.literal("template"),
      conversationId,
      templateId: z.uuid({ message: "templateId must be a UUID" }),
      /** Values for the template's placeholders, by name ("1", "2" for numbered ones). */
      parameters: z
        .record(
          z.string(),
          z
            .string()
            .trim()
            .min(1, "every template parameter needs a value")
            .max(1024, "parameters are at most 1024 characters"),
        )
        .default({}),
      confirmSensitive,
    }),
    z.object({
      type: z.enum(outboundMediaTypes),
      conversationId,
      link: httpsLink,
      caption: z.string().trim().max(1024, "caption must be at most 1024 characters").optional(),
      filename: z.string().trim().max(240, "filename must be at most 240 characters").optional(),
      replyToMessageId,
      confirmSensitive,
    }),
  ],
  { error: "type must be text, template, image, video, audio or document" },
);
export type SendMessageInput = z.input<typeof sendMessageInput>;

export const markConversationReadInput = z.object({ conversationId });
export type MarkConversationReadInput = z.input<typeof markConversationReadInput>;

export const messageIdInput = z.object({ messageId: z.uuid({ message: "messageId must be a UUID" }) });
export type MessageIdInput = z.input<typeof messageIdInput>;

export const retryMessageInput = z.object({
  conversationId,
  messageId: z.uuid({ message: "messageId must be a UUID" }),
  confirmSensitive,
});
export type RetryMessageInput = z.input<typeof retryMessageInput>;
