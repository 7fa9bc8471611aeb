import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, messages, outbox, type Inbox, type Template, type User } from "@/lib/db/schema";
import { PolicyBlockedError } from "@/lib/domain/errors";
import { sendMessage } from "@/lib/domain/messages";
import { SENSITIVE_REQUEST_REASON } from "@/lib/domain/messages/sensitive-guard";
import { createTemplate } from "@/lib/domain/templates";
import { setupTestDatabase } from "../../../support/db";
import {
  actorFor,
  addMember,
  createConversation,
  createInbox,
  createUser,
  ctxFor,
} from "../../../support/factories";

const database = setupTestDatabase();
const now = new Date("2026-11-20T12:00:00.000Z");
const inAnHour = new Date(now.getTime() + 3600_000);

let inbox: Inbox;
let dana: User;
let template: Template;

beforeAll(async () => {
  const { db } = database().handle;
  inbox = await createInbox(db);
  dana = await createUser(db, { name: "Dana" });
  const admin = await createUser(db, { role: "admin" });
  await addMember(db, inbox.id, dana.id);
  template = await createTemplate({
    ctx: ctxFor(db, actorFor(admin), now),
    input: { inboxId: inbox.id, name: "check_in", language: "en_US", category: "utility", body: "Hello, {{note}}" },
  });
});

const as = () => ctxFor(database().handle.db, actorFor(dana), now);
const openConversation = () => createConversation(database().handle.db, inbox.id, { windowExpiresAt: inAnHour });

async function refusal(send: Promise<unknown>): Promise<PolicyBlockedError> {
  const error = await send.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PolicyBlockedError);
  return error as PolicyBlockedError;
}

// Replies an agent might type, and what the guard must say about them (EN and RU).
const asking: [string, string][] = [
  ["Can you send me your password?", "password"],
  ["What's your card PIN?", "pin"],
  ["Please share the one-time code we just sent you.", "one_time_code"],
  ["Send me your full card number and the expiry date.", "card_number"],
  ["what's the CVV on the back", "cvv"],
  ["I'll need your online banking login and password to check the transfer.", "bank_login"],
  ["Назовите пароль", "password"],
  ["Сообщите пин-код от карты.", "pin"],
  ["Пришлите код из SMS", "one_time_code"],
  ["Скиньте номер карты полностью", "card_number"],
  ["Какой у вас CVV-код?", "cvv"],
];

const harmless = [
  "We will never ask for your password.",
  "You can reset your password from the sign-in page.",
  "Please confirm the last 4 digits of your card.",
  "Мы никогда не просим пароль.",
  "Your order has shipped and should arrive on Monday.",
];

describe("the sensitive-data guard on replies", () => {
  it.each(asking)("refuses %j with 422 details naming %s, and writes nothing", async (body, kind) => {
    const conversation = await openConversation();
    const error = await refusal(sendMessage({ ctx: as(), input: { type: "text", conversationId: conversation.id, body } }));
    expect(error.details).toMatchObject({ reason: SENSITIVE_REQUEST_REASON });
    expect(error.details?.kinds).toContain(kind);
    expect(error.message).toMatch(/never be asked/);
    const { db } = database().handle;
    expect(await db.select().from(messages).where(eq(messages.conversationId, conversation.id))).toEqual([]);
    expect(await db.select().from(outbox).where(eq(outbox.conversationId, conversation.id))).toEqual([]);
  });

  it.each(harmless)("lets %j through without confirmation", async (body) => {
    const conversation = await openConversation();
    const sent = await sendMessage({ ctx: as(), input: { type: "text", conversationId: conversation.id, body } });
    expect(sent.status).toBe("queued");
  });

  it("sends with confirmSensitive: true and audits the confirmation with the kinds, not the text", async () => {
    const conversation = await openConversation();
    const sent = await sendMessage({
      ctx: as(),
      input: { type: "text", conversationId: conversation.id, body: "Назовите пароль", confirmSensitive: true },
    });
    expect(sent.status).toBe("queued");
    const audits = await database()
      .handle.db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "message.sensitive_confirmed"), eq(auditLog.targetId, sent.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: dana.id, details: { conversationId: conversation.id, kinds: ["password"] } });
  });

  it("judges template parameters and media captions too", async () => {
    const conversation = await openConversation();
    const fromTemplate = await refusal(
      sendMessage({
        ctx: as(),
        input: {
          type: "template",
          conversationId: conversation.id,
          templateId: template.id,
          parameters: { note: "please send me the code from the SMS" },
        },
      }),
    );
    expect(fromTemplate.details).toMatchObject({ kinds: ["one_time_code"] });
    const error = await refusal(
      sendMessage({
        ctx: as(),
        input: {
          type: "image",
          conversationId: conversation.id,
          link: "https://example.com/card.png",
          caption: "Type your CVV next to this picture",
        },
      }),
    );
    expect(error.details).toMatchObject({ reason: SENSITIVE_REQUEST_REASON });
  });

  it("refuses a malformed confirmSensitive with a readable 400", async () => {
    const conversation = await openConversation();
    await expect(
      sendMessage({
        ctx: as(),
        input: { type: "text", conversationId: conversation.id, body: "Hi", confirmSensitive: "yes" as unknown as boolean },
      }),
    ).rejects.toThrow(/confirmSensitive must be true or false/);
  });
});
