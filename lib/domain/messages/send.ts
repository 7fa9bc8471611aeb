import { and, eq, isNotNull } from "drizzle-orm";
import { contacts, conversations, messages, templates, type Message } from "@/lib/db/schema";
import { publish } from "@/lib/realtime/publish";
import { onAgentReply } from "../sla";
import { mediaMessageRequest, templateMessageRequest, textMessageRequest } from "@/lib/whatsapp/graph-client";
import { previewOf } from "@/lib/whatsapp/webhook-plan";
import { recordAudit } from "../audit";
import { inTransaction, requirePermission, type Ctx } from "../context";
import { visibleConversations } from "../conversations/scope";
import { InvalidInputError, NotFoundError, PolicyBlockedError } from "../errors";
import { enqueueOutbox } from "../outbox/enqueue";
import { requireOutboundAllowed } from "../consents/gate";
import type { ConsentPurpose } from "@/lib/policy/consent";
import { markRetried } from "./mark-retried";
import { nudgeOutbox } from "../outbox/nudge";
import { renderTemplateBody } from "../templates/render";
import { announceMessages } from "./announce";
import { sendMessageInput, type SendMessageInput } from "./schemas";
import { auditSensitiveSend, guardSensitiveRequest, inspectOutgoingTexts, type SensitiveCheck } from "./sensitive-guard";

export const WINDOW_CLOSED_MESSAGE = "The 24-hour window has closed; send an approved template.";

/**
 * Replies to a customer on WhatsApp: free text (or media) inside the 24-hour customer-service
 * window, an approved template at any time. The message (queued) and its outbox row commit
 * together; the sender posts it to the Graph API after commit and statuses arrive by webhook.
 */
export async function sendMessage({
  ctx,
  input,
  retryOf,
}: {
  ctx: Ctx;
  input: SendMessageInput;
  /** The failed send this one replaces (`retryMessage`); it is marked in the same transaction. */
  retryOf?: string;
}): Promise<Message> {
  requirePermission(ctx.actor, "conversations.reply");
  const data = sendMessageInput.parse(input);

  const { message, conversation, sla, retried } = await inTransaction(ctx, async (tx) => {
    // Locking the conversation orders concurrent replies and keeps the window check honest.
    const [target] = await tx
      .select({ conversation: conversations, contact: contacts })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(and(eq(conversations.id, data.conversationId), visibleConversations(tx, ctx.actor)))
      .for("update", { of: conversations });
    if (!target) throw new NotFoundError("That conversation does not exist or is not in your inboxes.");
    const { contact } = target;
    if (contact.anonymizedAt) {
      throw new PolicyBlockedError(
        "This customer's data has been erased; Parley can no longer message them.",
      );
    }
    if (!contact.waId && !contact.waUserId) {
      throw new PolicyBlockedError("This customer has no WhatsApp id to send to.");
    }
    const to = { waId: contact.waId, userId: contact.waUserId };
    const windowOpen =
      target.conversation.windowExpiresAt !== null && target.conversation.windowExpiresAt > ctx.now;
    if (data.type !== "template" && !windowOpen) throw new PolicyBlockedError(WINDOW_CLOSED_MESSAGE);

    let replyToWamid: string | null = null;
    if (data.type !== "template" && data.replyToMessageId) {
      const [quoted] = await tx
        .select({ wamid: messages.wamid })
        .from(messages)
        .where(
          and(
            eq(messages.id, data.replyToMessageId),
            eq(messages.conversationId, data.conversationId),
            isNotNull(messages.wamid),
          ),
        );
      if (!quoted?.wamid) {
        throw new InvalidInputError(
          "That message cannot be replied to: it is not a WhatsApp message in this conversation.",
        );
      }
      replyToWamid = quoted.wamid;
    }

    let body: string | null;
    let sensitive: SensitiveCheck;
    let templateName: string | undefined;
    let purpose: ConsentPurpose = "service";
    let payload: Record<string, unknown>;
    let request: Record<string, unknown>;
    if (data.type === "text") {
      sensitive = inspectOutgoingTexts([data.body]);
      guardSensitiveRequest(sensitive, data.confirmSensitive);
      body = data.body;
      payload = {};
      request = textMessageRequest({ to, body: data.body, replyToWamid });
    } else if (data.type === "template") {
      const [template] = await tx
        .select()
        .from(templates)
        .where(and(eq(templates.id, data.templateId), eq(templates.inboxId, target.conversation.inboxId)));
      if (!template) throw new NotFoundError("That template does not exist for this inbox.");
      if (template.status !== "approved") {
        throw new PolicyBlockedError(
          `The template "${template.name}" is ${template.status}; only templates WhatsApp approved can be sent.`,
        );
      }
      const missing = template.parameters.filter((name) => data.parameters[name] === undefined);
      if (missing.length > 0)
        throw new InvalidInputError(`Fill in the template's ${missing.map((n) => `{{${n}}}`).join(", ")}.`);
      const unknown = Object.keys(data.parameters).filter((name) => !template.parameters.includes(name));
      if (unknown.length > 0)
        throw new InvalidInputError(`The template has no ${unknown.map((n) => `{{${n}}}`).join(", ")}.`);
      body = renderTemplateBody(template.body, data.parameters);
      // Parameters are typed by the agent: judge them alone and within the rendered sentence.
      sensitive = inspectOutgoingTexts([body, ...Object.values(data.parameters)]);
      guardSensitiveRequest(sensitive, data.confirmSensitive);
      templateName = template.name;
      if (template.category === "marketing") purpose = "marketing";
      payload = {
        template: {
          id: template.id,
          name: template.name,
          language: template.language,
          parameters: data.parameters,
        },
      };
      request = templateMessageRequest({
        to,
        name: template.name,
        language: template.language,
        parameterFormat: template.parameterFormat,
        parameters: template.parameters.map((name) => ({ name, value: data.parameters[name] ?? "" })),
      });
    } else {
      sensitive = inspectOutgoingTexts([data.caption]);
      guardSensitiveRequest(sensitive, data.confirmSensitive);
      body = data.caption || null;
      const media = {
        link: data.link,
        ...(data.caption ? { caption: data.caption } : {}),
        ...(data.filename ? { filename: data.filename } : {}),
      };
      payload = { [data.type]: media };
      request = mediaMessageRequest({
        to,
        type: data.type,
        media: { link: data.link },
        caption: data.caption,
        filename: data.filename,
        replyToWamid,
      });
    }

    await requireOutboundAllowed(tx, {
      contactId: contact.id,
      purpose,
      kind: data.type === "template" ? "template" : "free_form",
      windowOpen,
    });

    const [row] = await tx
      .insert(messages)
      .values({
        conversationId: data.conversationId,
        inboxId: target.conversation.inboxId,
        direction: "outbound",
        authorKind: ctx.actor.kind === "user" ? "agent" : "system",
        authorId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        type: data.type,
        body,
        payload,
        status: "queued",
        replyToWamid,
        createdAt: ctx.now,
      })
      .returning();
    if (!row) throw new Error("message insert returned no row");
    const retried = retryOf ? await markRetried(tx, { failedMessageId: retryOf, by: row }) : null;

    await enqueueOutbox(tx, {
      kind: "send_message",
      inboxId: row.inboxId,
      conversationId: row.conversationId,
      messageId: row.id,
      request,
      purpose,
      now: ctx.now,
    });

    const [updated] = await tx
      .update(conversations)
      .set({
        lastOutboundAt: ctx.now,
        lastMessageAt: ctx.now,
        lastMessagePreview: previewOf(body ?? `(${data.type})`),
        waitingSince: null,
        updatedAt: ctx.now,
      })
      .where(eq(conversations.id, data.conversationId))
      .returning();

    await recordAudit(tx, ctx, {
      action: "message.sent",
      targetType: "message",
      targetId: row.id,
      details: {
        conversationId: row.conversationId,
        type: data.type,
        ...(templateName ? { template: templateName } : {}),
      },
    });
    await auditSensitiveSend(tx, ctx, sensitive, { messageId: row.id, conversationId: row.conversationId });
    // An agent's reply answers the customer; sends by Parley itself do not stop the clock.
    const sla =
      ctx.actor.kind === "user"
        ? await onAgentReply(tx, {
            conversationId: row.conversationId,
            at: ctx.now,
            authorId: ctx.actor.userId,
          })
        : null;
    return { message: row, conversation: updated, sla, retried };
  });

  // The conversation row and the met clock ride on the message: one frame per agent socket.
  announceMessages({
    created: [message],
    conversations: conversation ? [conversation] : [],
    slaChanges: [sla],
  });
  if (retried) publish.messageStatus(retried);
  nudgeOutbox();
  return message;
}
