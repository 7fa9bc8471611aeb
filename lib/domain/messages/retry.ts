import { and, eq } from "drizzle-orm";
import { conversations, messages, type Message } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { visibleConversations } from "../conversations/scope";
import { ConflictError, NotFoundError } from "../errors";
import { retryMessageInput, type RetryMessageInput, type SendMessageInput } from "./schemas";
import { sendMessage } from "./send";

/**
 * Sends a failed message again, as a new message with the same content. Everything a first send
 * checks (the 24-hour window, the template's approval, the customer's consent) is checked again;
 * the failed one stays in the thread, marked as retried, and can be retried only once.
 */
export async function retryMessage({ ctx, input }: { ctx: Ctx; input: RetryMessageInput }): Promise<Message> {
  requirePermission(ctx.actor, "conversations.reply");
  const data = retryMessageInput.parse(input);

  const [found] = await ctx.db
    .select({ message: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.id, data.messageId),
        eq(messages.conversationId, data.conversationId),
        visibleConversations(ctx.db, ctx.actor),
      ),
    );
  const failed = found?.message;
  if (!failed) throw new NotFoundError("That message does not exist in this conversation.");
  if (failed.direction !== "outbound" || failed.isPrivateNote || failed.status !== "failed") {
    throw new ConflictError("Only a failed send can be retried.");
  }
  if (failed.retriedByMessageId) throw new ConflictError("That message has already been retried.");

  // The guard is asked again: a retry of a sensitive message needs its own confirmation.
  const resend = { ...(await resendInput(ctx, failed)), confirmSensitive: data.confirmSensitive };
  return sendMessage({ ctx, input: resend, retryOf: failed.id });
}

/** The send request that reproduces a failed message's content. */
async function resendInput(ctx: Ctx, failed: Message): Promise<SendMessageInput> {
  const conversationId = failed.conversationId;
  const payload = failed.payload ?? {};
  let replyToMessageId: string | undefined;
  if (failed.replyToWamid) {
    const [quoted] = await ctx.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.inboxId, failed.inboxId), eq(messages.wamid, failed.replyToWamid)));
    replyToMessageId = quoted?.id;
  }
  if (failed.type === "text") {
    return { type: "text", conversationId, body: failed.body ?? "", replyToMessageId };
  }
  if (failed.type === "template") {
    const template = record(payload.template);
    return {
      type: "template",
      conversationId,
      templateId: text(template.id),
      parameters: stringRecord(template.parameters),
    };
  }
  if (
    failed.type === "image" ||
    failed.type === "video" ||
    failed.type === "audio" ||
    failed.type === "document"
  ) {
    const media = record(payload[failed.type]);
    return {
      type: failed.type,
      conversationId,
      link: text(media.link),
      caption: typeof media.caption === "string" ? media.caption : undefined,
      filename: typeof media.filename === "string" ? media.filename : undefined,
      replyToMessageId,
    };
  }
  throw new ConflictError(`A ${failed.type} message cannot be retried; send a new one instead.`);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function stringRecord(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record(value)).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}
