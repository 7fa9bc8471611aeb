import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearDatabaseHandle, setDatabaseHandle } from "@/lib/db";
import {
  contacts,
  conversations,
  inboxes,
  messages,
  pendingMessageStatuses,
  webhookEvents,
  type Inbox,
} from "@/lib/db/schema";
import { setupTestDatabase } from "../../support/db";
import { createConversation, createInbox, createMessage } from "../../support/factories";
import { fixture, fixtureNames, postWebhook, samplePhoneNumberId } from "../../support/whatsapp";
import { containing, matching } from "../../support/matchers";

const database = setupTestDatabase();
let inbox: Inbox;

beforeAll(() => setDatabaseHandle(database().handle));
afterAll(() => clearDatabaseHandle());

// Meta's samples reuse wamids across files: every test starts from an empty inbox for that number.
beforeEach(async () => {
  const { db } = database().handle;
  await db.delete(inboxes).where(eq(inboxes.phoneNumberId, samplePhoneNumberId));
  inbox = await createInbox(db, { phoneNumberId: samplePhoneNumberId, wabaId: "102290129340398" });
});

async function deliver(name: string) {
  const raw = fixture(name);
  const response = await postWebhook(raw);
  expect(response.status).toBe(200);
  const { db } = database().handle;
  const [event] = await db.select().from(webhookEvents).orderBy(desc(webhookEvents.id)).limit(1);
  // The raw body is kept exactly as signed, and processing completed without error.
  expect(event?.rawBody).toBe(raw);
  expect(event?.processedAt).not.toBeNull();
  expect(event?.error).toBeNull();
  return { event };
}

async function onlyMessage() {
  const rows = await database().handle.db.select().from(messages).where(eq(messages.inboxId, inbox.id));
  expect(rows).toHaveLength(1);
  const [row] = rows;
  if (!row) throw new Error("no message stored");
  return row;
}

async function onlyContact() {
  const rows = await database().handle.db.select().from(contacts).where(eq(contacts.inboxId, inbox.id));
  expect(rows).toHaveLength(1);
  return rows[0];
}

const unix = (seconds: number) => new Date(seconds * 1000);

describe("every incoming message sample from Meta's documentation is stored", () => {
  const cases: {
    file: string;
    type: string;
    body: string | null;
    preview: string;
    sentAt: number;
    replyTo?: string;
    payload?: Record<string, unknown>;
  }[] = [
    {
      file: "meta_text_message_business_button_referred_product.json",
      type: "text",
      body: "Is this still available?",
      preview: "Is this still available?",
      sentAt: 1750016800,
      replyTo: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA",
      payload: {
        context: containing({
          referred_product: { catalog_id: "194836987003835", product_retailer_id: "di9ozbzfi4" },
        }),
      },
    },
    {
      file: "meta_text_ctwa_ad_referral.json",
      type: "text",
      body: "Can I get more info about this?",
      preview: "Can I get more info about this?",
      sentAt: 1750275992,
      payload: {
        referral: containing({ source_type: "ad", ctwa_clid: matching(/^Aff-/) }),
      },
    },
    {
      file: "meta_image.json",
      type: "image",
      body: "Taj Mahal",
      preview: "📷 Photo: Taj Mahal",
      sentAt: 1744344496,
      payload: { image: containing({ id: "1003383421387256", mime_type: "image/jpeg" }) },
    },
    {
      file: "meta_audio_voice.json",
      type: "audio",
      body: null,
      preview: "🎤 Voice message",
      sentAt: 1744344496,
      payload: { audio: containing({ id: "1908647269898587", voice: true }) },
    },
    {
      file: "meta_video.json",
      type: "video",
      body: "Timelapse of growth",
      preview: "🎥 Video: Timelapse of growth",
      sentAt: 1744344496,
      payload: { video: containing({ id: "731675419373506" }) },
    },
    {
      file: "meta_document.json",
      type: "document",
      body: "my receipt",
      preview: "📄 Document: my receipt",
      sentAt: 1744344496,
      payload: { document: containing({ filename: "receipt.pdf", mime_type: "application/pdf" }) },
    },
    {
      file: "meta_sticker.json",
      type: "sticker",
      body: null,
      preview: "Sticker",
      sentAt: 1744344496,
      payload: { sticker: containing({ animated: true, mime_type: "image/webp" }) },
    },
    {
      file: "meta_location.json",
      type: "location",
      body: "Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301",
      preview: "📍 Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301",
      sentAt: 1744344496,
      payload: { location: containing({ latitude: 37.44221496582, longitude: -122.16165924072 }) },
    },
    {
      file: "meta_contacts.json",
      type: "contacts",
      body: null,
      preview: "👤 Barbara J. Johnson",
      sentAt: 1744344496,
      payload: { contacts: [containing({ org: { company: "Social Tsunami" } })] },
    },
    {
      file: "meta_button_template_quick_reply.json",
      type: "button",
      body: "Unsubscribe",
      preview: "Unsubscribe",
      sentAt: 1750091045,
      replyTo: "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=",
      payload: { button: { payload: "Unsubscribe", text: "Unsubscribe" } },
    },
    {
      file: "meta_order.json",
      type: "order",
      body: "Love these!\n🛒 Order of 3 items",
      preview: "🛒 Order of 3 items",
      sentAt: 1750096325,
      payload: { order: containing({ catalog_id: "194836987003835" }) },
    },
    {
      file: "meta_interactive_button_reply.json",
      type: "interactive",
      body: "Cancel",
      preview: "Cancel",
      sentAt: 1750025136,
      replyTo: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA",
    },
    {
      file: "meta_interactive_list_reply.json",
      type: "interactive",
      body: "Priority Mail Express — Next Day to 2 Days",
      preview: "Priority Mail Express",
      sentAt: 1749854575,
      replyTo: "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=",
    },
    {
      file: "meta_reaction.json",
      type: "reaction",
      body: "Reacted 👍",
      preview: "Reacted 👍",
      sentAt: 1749419544,
      replyTo: "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=",
    },
    {
      file: "meta_revoke_coexistence.json",
      type: "revoke",
      body: "The customer deleted a message.",
      preview: "The customer deleted a message.",
      sentAt: 1749854575,
      replyTo: "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=",
    },
    {
      file: "meta_unsupported_edit.json",
      type: "unsupported",
      body: null,
      preview: "Unsupported message",
      sentAt: 1750090702,
      payload: {
        unsupported: { type: "edit" },
        errors: [containing({ code: 131051, title: "Message type unknown" })],
      },
    },
  ];

  it.each(cases)("$file → a $type message", async (sample) => {
    await deliver(sample.file);
    const message = await onlyMessage();
    const wamid = (
      JSON.parse(fixture(sample.file)) as {
        entry: { changes: { value: { messages: { id: string }[] } }[] }[];
      }
    ).entry[0]?.changes[0]?.value.messages[0]?.id;
    expect(message).toMatchObject({
      direction: "inbound",
      authorKind: "contact",
      type: sample.type,
      body: sample.body,
      wamid,
      status: "received",
      replyToWamid: sample.replyTo ?? null,
      createdAt: unix(sample.sentAt),
    });
    expect(message.payload).toMatchObject({ id: wamid, ...(sample.payload ?? {}) });

    const contact = await onlyContact();
    expect(contact).toMatchObject({
      waId: "16505551234",
      profileName: "Sheena Nelson",
      phone: "+16505551234",
    });

    const [conversation] = await database()
      .handle.db.select()
      .from(conversations)
      .where(eq(conversations.id, message.conversationId));
    expect(conversation).toMatchObject({
      contactId: contact?.id,
      status: "open",
      unreadCount: 1,
      lastInboundAt: unix(sample.sentAt),
      lastMessageAt: unix(sample.sentAt),
      lastMessagePreview: sample.preview,
      waitingSince: unix(sample.sentAt),
      // The customer-service window: 24 hours from the customer's message.
      windowExpiresAt: unix(sample.sentAt + 24 * 3600),
    });
  });

  it("meta_system_user_changed_number.json → a system notice, and the contact follows the new number", async () => {
    await deliver("meta_system_user_changed_number.json");
    const message = await onlyMessage();
    expect(message).toMatchObject({
      type: "system",
      authorKind: "system",
      body: "User Sheena Nelson changed from 16505551234 to 12195555358",
      wamid: "wamid.HBgLMTk4MzU1NTE5NzQVAgASGAoxMTgyMDg2MjY3AA==",
    });
    expect(await onlyContact()).toMatchObject({ waId: "12195555358", phone: "+12195555358" });
    const [conversation] = await database()
      .handle.db.select()
      .from(conversations)
      .where(eq(conversations.id, message.conversationId));
    // A notice from WhatsApp is not the customer writing: no window, nothing unread, nobody waiting.
    expect(conversation).toMatchObject({ unreadCount: 0, windowExpiresAt: null, waitingSince: null });
  });

  it("meta_bsuid_username_text_empty_wa_id.json → a contact keyed by the business-scoped user id", async () => {
    await deliver("meta_bsuid_username_text_empty_wa_id.json");
    expect(await onlyMessage()).toMatchObject({ type: "text", body: "Does it come in another color?" });
    expect(await onlyContact()).toMatchObject({
      waId: null,
      waUserId: "user.93737...",
      profileName: "Sheena Nelson",
      phone: null,
    });
  });

  it("meta_bsuid_only_text_mar2026.json → a contact keyed by from_user_id when wa_id and from are absent", async () => {
    await deliver("meta_bsuid_only_text_mar2026.json");
    expect(await onlyMessage()).toMatchObject({ type: "text", body: "Does it come in another color?" });
    expect(await onlyContact()).toMatchObject({
      waId: null,
      waUserId: "US.13491208655302741918",
      profileName: "Sheena Nelson",
    });
  });
});

describe("every status sample from Meta's documentation moves the message it names", () => {
  async function outbound(wamid: string, status: "queued" | "sent" = "sent") {
    const { db } = database().handle;
    const conversation = await createConversation(db, inbox.id);
    return createMessage(db, conversation, { direction: "outbound", authorKind: "agent", wamid, status });
  }

  async function statusOf(id: string) {
    const [row] = await database().handle.db.select().from(messages).where(eq(messages.id, id));
    return row;
  }

  it("meta_status_sent_marketing_pmp.json → sent", async () => {
    const message = await outbound(
      "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
      "queued",
    );
    await deliver("meta_status_sent_marketing_pmp.json");
    expect(await statusOf(message.id)).toMatchObject({ status: "sent", statusUpdatedAt: unix(1750030073) });
  });

  it("meta_status_v24_no_conversation_no_pricing.json → sent, without conversation or pricing", async () => {
    const message = await outbound(
      "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
      "queued",
    );
    await deliver("meta_status_v24_no_conversation_no_pricing.json");
    expect(await statusOf(message.id)).toMatchObject({ status: "sent" });
  });

  it("meta_status_delivered_cbp.json → delivered", async () => {
    const message = await outbound("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA");
    await deliver("meta_status_delivered_cbp.json");
    expect(await statusOf(message.id)).toMatchObject({
      status: "delivered",
      statusUpdatedAt: unix(1750263773),
    });
  });

  it("meta_bsuid_status_delivered_to_bsuid.json → delivered, for a message sent to a user id", async () => {
    const message = await outbound("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=");
    await deliver("meta_bsuid_status_delivered_to_bsuid.json");
    expect(await statusOf(message.id)).toMatchObject({ status: "delivered" });
  });

  it("meta_status_failed_131049.json → failed, keeping Meta's code and title and saying why", async () => {
    const message = await outbound("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA");
    await deliver("meta_status_failed_131049.json");
    expect(await statusOf(message.id)).toMatchObject({
      status: "failed",
      errorCode: 131049,
      errorTitle: "This message was not delivered to maintain healthy ecosystem engagement.",
      failureReason: matching(/marketing message/),
    });
  });

  it("keeps a status for a message Parley has not recorded yet", async () => {
    await deliver("meta_status_failed_131049.json");
    const pending = await database()
      .handle.db.select()
      .from(pendingMessageStatuses)
      .where(eq(pendingMessageStatuses.inboxId, inbox.id));
    expect(pending).toEqual([
      containing({
        wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA",
        status: "failed",
        errorCode: 131049,
        occurredAt: unix(1751142888),
      }),
    ]);
  });
});

describe("samples that carry no message are recorded on the event and acknowledged", () => {
  it("meta_value_level_errors_130429.json → the error is noted", async () => {
    const { event } = await deliver("meta_value_level_errors_130429.json");
    expect(event?.notes).toEqual([matching(/error 130429 \(Rate limit hit\)/)]);
    expect(await database().handle.db.select().from(messages).where(eq(messages.inboxId, inbox.id))).toEqual(
      [],
    );
  });

  it("meta_user_preferences_marketing_resume.json → the preference is noted (no such contact yet)", async () => {
    const { event } = await deliver("meta_user_preferences_marketing_resume.json");
    expect(event?.notes).toEqual([
      "user_preferences: 16505551234 set marketing_messages to resume (User requested to resume marketing messages).",
      "user_preferences: no contact 16505551234 is known; nothing recorded.",
    ]);
  });
});

describe("the fixture set", () => {
  it("has a test above for every webhook sample", () => {
    const covered = new Set([
      "meta_text_message_business_button_referred_product.json",
      "meta_text_ctwa_ad_referral.json",
      "meta_image.json",
      "meta_audio_voice.json",
      "meta_video.json",
      "meta_document.json",
      "meta_sticker.json",
      "meta_location.json",
      "meta_contacts.json",
      "meta_button_template_quick_reply.json",
      "meta_order.json",
      "meta_interactive_button_reply.json",
      "meta_interactive_list_reply.json",
      "meta_reaction.json",
      "meta_revoke_coexistence.json",
      "meta_unsupported_edit.json",
      "meta_system_user_changed_number.json",
      "meta_bsuid_username_text_empty_wa_id.json",
      "meta_bsuid_only_text_mar2026.json",
      "meta_status_sent_marketing_pmp.json",
      "meta_status_v24_no_conversation_no_pricing.json",
      "meta_status_delivered_cbp.json",
      "meta_bsuid_status_delivered_to_bsuid.json",
      "meta_status_failed_131049.json",
      "meta_value_level_errors_130429.json",
      "meta_user_preferences_marketing_resume.json",
    ]);
    expect(fixtureNames.filter((name) => name.startsWith("meta_") && !covered.has(name))).toEqual([]);
  });
});
