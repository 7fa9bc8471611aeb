import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import { auditLog, conversations, inboxes, messageOriginals, messages, webhookEvents, type Inbox } from "@/lib/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/domain/errors";
import { revealOriginal, updatePrivacySettings } from "@/lib/domain/privacy";
import { setupTestDatabase } from "../../../support/db";
import { actorFor, addMember, createInbox, createUser, ctxFor } from "../../../support/factories";
import { fixture, postWebhook, samplePhoneNumberId } from "../../../support/whatsapp";

const database = setupTestDatabase();
let inbox: Inbox;

beforeAll(() => setDatabaseHandle(database().handle));
afterAll(() => clearDatabaseHandle());

beforeEach(async () => {
  const { db } = database().handle;
  await db.delete(inboxes).where(eq(inboxes.phoneNumberId, samplePhoneNumberId));
  inbox = await createInbox(db, { phoneNumberId: samplePhoneNumberId, wabaId: "102290129340398" });
});

/** Meta's real sample with what the customer typed replaced (their JSON shape, ids and escaping kept). */
function sampleWith(name: string, from: string, to: string): string {
  const raw = fixture(name);
  expect(raw).toContain(from);
  return raw.replace(from, to);
}

async function deliver(raw: string) {
  const response = await postWebhook(raw);
  expect(response.status).toBe(200);
  const { db } = database().handle;
  const [message] = await db.select().from(messages).where(eq(messages.inboxId, inbox.id));
  const [event] = await db.select().from(webhookEvents).orderBy(desc(webhookEvents.id)).limit(1);
  const [conversation] = await db.select().from(conversations).where(eq(conversations.inboxId, inbox.id));
  if (!message || !event || !conversation) throw new Error("nothing stored");
  return { message, event, conversation };
}

function textOf(name: string): string {
  const parsed = JSON.parse(fixture(name)) as {
    entry: { changes: { value: { messages: { text?: { body: string } }[] } }[] }[];
  };
  return parsed.entry[0]?.changes[0]?.value.messages[0]?.text?.body ?? "";
}

describe("secrets customers send are masked before anything is stored", () => {
  it("masks a spaced card number in a text message: body, preview, payload and the raw event", async () => {
    const original = textOf("meta_text_ctwa_ad_referral.json");
    const raw = sampleWith("meta_text_ctwa_ad_referral.json", original, "My card is 4111 1111 1111 1111, please refund");
    const { message, event, conversation } = await deliver(raw);
    expect(message.body).toBe("My card is •••• •••• •••• 1111, please refund");
    expect(JSON.stringify(message.payload)).not.toContain("4111 1111 1111 1111");
    expect(JSON.stringify(message.payload)).toContain("•••• •••• •••• 1111");
    expect(conversation.lastMessagePreview).toBe("My card is •••• •••• •••• 1111, please refund");
    expect(event.rawBody).not.toContain("4111 1111 1111 1111");
    expect(event.rawBody).toContain("\\u2022\\u2022\\u2022\\u2022 \\u2022\\u2022\\u2022\\u2022");
    expect(event.error).toBeNull();
    // Originals are not kept unless the admin allows it.
    const kept = await database().handle.db.select().from(messageOriginals).where(eq(messageOriginals.messageId, message.id));
    expect(kept).toEqual([]);
  });

  it("masks a dashed card number and a labelled CVV in an image caption, keeping the media ids", async () => {
    const raw = sampleWith("meta_image.json", '"caption": "Taj Mahal"', '"caption": "5555-5555-5555-4444 CVV 123"');
    const { message, event } = await deliver(raw);
    expect(message.body).toBe("••••-••••-••••-4444 CVV •••");
    const image = (message.payload as { image: { caption: string; id: string } }).image;
    expect(image.caption).toBe("••••-••••-••••-4444 CVV •••");
    expect(image.id).toBe("1003383421387256");
    expect(event.rawBody).not.toContain("5555-5555-5555-4444");
    expect(event.rawBody).toContain("1003383421387256");
  });

  it("leaves numbers that are not card numbers alone (order numbers, a phone number)", async () => {
    const original = textOf("meta_text_ctwa_ad_referral.json");
    const text = "Order 1234567890123 for +1 650 555 1234";
    const { message } = await deliver(sampleWith("meta_text_ctwa_ad_referral.json", original, text));
    expect(message.body).toBe(text);
  });
});

describe("originals of masked secrets", () => {
  it("are kept for the configured days when the admin allows it, and revealed only with the permission (audited)", async () => {
    const { db } = database().handle;
    const admin = await createUser(db, { role: "admin" });
    const agent = await createUser(db, { role: "agent" });
    const outsider = await createUser(db, { role: "admin" });
    await addMember(db, inbox.id, admin.id);
    await addMember(db, inbox.id, agent.id);
    const now = new Date();
    await updatePrivacySettings({
      ctx: ctxFor(db, actorFor(admin), now),
      input: { keepMaskedOriginals: true, maskedOriginalDays: 3 },
    });
    const original = textOf("meta_text_ctwa_ad_referral.json");
    const { message } = await deliver(
      sampleWith("meta_text_ctwa_ad_referral.json", original, "Карта 4111111111111111, код CVV 321"),
    );
    expect(message.body).toBe("Карта ••••••••••••1111, код CVV •••");
    const [kept] = await db.select().from(messageOriginals).where(eq(messageOriginals.messageId, message.id));
    expect(kept?.body).toBe("Карта 4111111111111111, код CVV 321");
    const days = ((kept?.expiresAt.getTime() ?? 0) - (kept?.createdAt.getTime() ?? 0)) / 86_400_000;
    expect(days).toBeCloseTo(3, 1);

    await expect(
      revealOriginal({ ctx: ctxFor(db, actorFor(agent), now), input: { messageId: message.id } }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // An admin outside the inbox does not find it.
    await expect(
      revealOriginal({ ctx: ctxFor(db, actorFor(outsider), now), input: { messageId: message.id } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const revealed = await revealOriginal({ ctx: ctxFor(db, actorFor(admin), now), input: { messageId: message.id } });
    expect(revealed.body).toBe("Карта 4111111111111111, код CVV 321");
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "message.original_revealed"));
    expect(audits).toEqual([expect.objectContaining({ actorId: admin.id, targetId: message.id })]);
    // After expiry it is gone even before the sweeper deletes it.
    await expect(
      revealOriginal({
        ctx: ctxFor(db, actorFor(admin), new Date(now.getTime() + 4 * 86_400_000)),
        input: { messageId: message.id },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
