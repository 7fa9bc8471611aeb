import { and, asc, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/lib/db";
import {
  auditLog,
  consentEvents,
  contacts,
  conversations,
  dataRequests,
  messageOriginals,
  messages,
  outbox,
  simulatorMessages,
  webhookEvents,
  type Contact,
} from "@/lib/db/schema";
import { escapeLike } from "@/lib/db/like";
import { redactConsentEvidence } from "@/lib/domain/consents/ledger";
import { clearReviewNotes } from "@/lib/domain/sla/review-notes";

/**
 * Everything Parley holds about a contact, section by section: what an export shows and what an
 * erasure removes. The one list to extend when a feature stores more about customers.
 */
export interface PersonalDataSection {
  /** The key in the JSON export and the heading in the HTML one. */
  name: string;
  title: string;
  /** Rows about this contact only, as plain JSON. */
  collect(db: Executor, contact: Contact): Promise<Record<string, unknown>[]>;
  /** Removes or anonymizes them inside the erasure's transaction; returns how many rows changed. */
  erase(db: Executor, contact: Contact, now: Date): Promise<number>;
}

const mediaTypes = ["image", "video", "audio", "document", "sticker"];

function conversationIdsOf(db: Executor, contactId: string) {
  return db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.contactId, contactId));
}

function messagesOf(db: Executor, contactId: string, notes: boolean) {
  return db
    .select()
    .from(messages)
    .where(
      and(
        inArray(messages.conversationId, conversationIdsOf(db, contactId)),
        eq(messages.isPrivateNote, notes),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

/** For sections whose rows another section already erases, or that hold nothing personal. */
const nothingToErase = () => Promise.resolve(0);

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

const profileSection: PersonalDataSection = {
  name: "profile",
  title: "Profile",
  collect(_db, contact) {
    return Promise.resolve([
      {
        id: contact.id,
        inboxId: contact.inboxId,
        waId: contact.waId,
        waUserId: contact.waUserId,
        profileName: contact.profileName,
        phone: contact.phone,
        createdAt: contact.createdAt,
        updatedAt: contact.updatedAt,
        anonymizedAt: contact.anonymizedAt,
      },
    ]);
  },
  // The contact row itself is anonymized last, by eraseContact.
  erase: nothingToErase,
};

const conversationsSection: PersonalDataSection = {
  name: "conversations",
  title: "Conversations",
  async collect(db, contact) {
    const rows = await db
      .select()
      .from(conversations)
      .where(eq(conversations.contactId, contact.id))
      .orderBy(asc(conversations.createdAt));
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      createdAt: row.createdAt,
      lastMessageAt: row.lastMessageAt,
      resolvedAt: row.resolvedAt,
    }));
  },
  async erase(db, contact, now) {
    const rows = await db
      .update(conversations)
      .set({ lastMessagePreview: null, updatedAt: now })
      .where(eq(conversations.contactId, contact.id))
      .returning({ id: conversations.id });
    // A supervisor's note on a breach may name the customer; the reason code and times stay.
    await clearReviewNotes(db, conversationIdsOf(db, contact.id), now);
    return rows.length;
  },
};

const messagesSection: PersonalDataSection = {
  name: "messages",
  title: "Messages",
  async collect(db, contact) {
    const rows = await messagesOf(db, contact.id, false);
    return rows.map((row) => ({
      id: row.id,
      conversationId: row.conversationId,
      direction: row.direction,
      type: row.type,
      // Secrets the customer sent were masked at ingest; the export shows the masked text.
      body: row.body,
      status: row.status,
      createdAt: row.createdAt,
      redactedAt: row.redactedAt,
    }));
  },
  // Notes are in the same table: both are redacted here, notes' own section erases nothing twice.
  async erase(db, contact, now) {
    const ids = conversationIdsOf(db, contact.id);
    await db
      .delete(messageOriginals)
      .where(
        inArray(
          messageOriginals.messageId,
          db.select({ id: messages.id }).from(messages).where(inArray(messages.conversationId, ids)),
        ),
      );
    // Queued sends to an erased customer never leave; what was sent keeps no copy of its text.
    await db
      .update(outbox)
      .set({ status: "failed", lastError: "The customer's data was erased." })
      .where(and(inArray(outbox.conversationId, ids), inArray(outbox.status, ["queued", "in_flight"])));
    await db
      .update(outbox)
      .set({ request: { redacted: true } })
      .where(inArray(outbox.conversationId, ids));
    const rows = await db
      .update(messages)
      .set({ body: null, payload: null, errorTitle: null, redactedAt: now })
      .where(inArray(messages.conversationId, ids))
      .returning({ id: messages.id });
    return rows.length;
  },
};

const notesSection: PersonalDataSection = {
  name: "notes",
  title: "Notes by the support team",
  async collect(db, contact) {
    const rows = await messagesOf(db, contact.id, true);
    return rows.map((row) => ({
      id: row.id,
      conversationId: row.conversationId,
      body: row.body,
      createdAt: row.createdAt,
      redactedAt: row.redactedAt,
    }));
  },
  erase: nothingToErase,
};

const mediaSection: PersonalDataSection = {
  name: "media",
  title: "Media (photos, voice notes, files)",
  async collect(db, contact) {
    const rows = await messagesOf(db, contact.id, false);
    return rows
      .filter((row) => mediaTypes.includes(row.type))
      .map((row) => {
        const media = record(record(row.payload)[row.type]);
        return {
          messageId: row.id,
          type: row.type,
          direction: row.direction,
          mimeType: typeof media.mime_type === "string" ? media.mime_type : null,
          filename: typeof media.filename === "string" ? media.filename : null,
          caption: typeof media.caption === "string" ? media.caption : null,
          createdAt: row.createdAt,
        };
      });
  },
  erase: nothingToErase,
};

const dataRequestsSection: PersonalDataSection = {
  name: "dataRequests",
  title: "Data requests",
  async collect(db, contact) {
    const rows = await db
      .select({ kind: dataRequests.kind, createdAt: dataRequests.createdAt })
      .from(dataRequests)
      .where(eq(dataRequests.contactId, contact.id))
      .orderBy(asc(dataRequests.createdAt));
    return rows;
  },
  // The record of requests stays (who, when, why); it holds no personal data of the customer.
  erase: nothingToErase,
};

/** Raw webhook bodies, the simulator's phone and corrections in the audit log: erased, never exported. */
const tracesSection: PersonalDataSection = {
  name: "traces",
  title: "Technical traces",
  collect: () => Promise.resolve([]),
  async erase(db, contact) {
    let changed = 0;
    const ids = [contact.waId, contact.waUserId].filter((id): id is string => Boolean(id));
    if (ids.length > 0) {
      const matches: SQL[] = ids.map((id) => like(webhookEvents.rawBody, `%${escapeLike(id)}%`));
      const events = await db
        .select({ id: webhookEvents.id, rawBody: webhookEvents.rawBody })
        .from(webhookEvents)
        .where(or(...matches))
        .for("update");
      for (const event of events) {
        await db
          .update(webhookEvents)
          .set({ rawBody: withoutCustomer(event.rawBody, ids), notes: null, error: null })
          .where(eq(webhookEvents.id, event.id));
        changed += 1;
      }
      const deleted = await db
        .delete(simulatorMessages)
        .where(inArray(simulatorMessages.customer, ids))
        .returning({ id: simulatorMessages.id });
      changed += deleted.length;
    }
    // Corrections recorded the old and new values; they go with the rest.
    const audits = await db
      .update(auditLog)
      .set({ details: sql`jsonb_build_object('redacted', true)` })
      .where(
        and(
          eq(auditLog.targetType, "contact"),
          eq(auditLog.targetId, contact.id),
          sql`${auditLog.details} is not null`,
        ),
      )
      .returning({ id: auditLog.id });
    return changed + audits.length;
  },
};

/** Export order and erasure order (the contact row itself is anonymized after all of them). */
/**
 * The consent ledger: every opt-in and opt-out with its source and evidence. Erasure keeps the
 * events themselves (proof that an opt-out was honoured outlives the data) and blanks the evidence,
 * the only change the ledger's append-only trigger allows.
 */
const consentHistorySection: PersonalDataSection = {
  name: "consentHistory",
  title: "Consent history",
  async collect(db, contact) {
    const rows = await db
      .select()
      .from(consentEvents)
      .where(eq(consentEvents.contactId, contact.id))
      .orderBy(asc(consentEvents.occurredAt), asc(consentEvents.createdAt));
    return rows.map((row) => ({
      id: row.id,
      purpose: row.purpose,
      action: row.action,
      source: row.source,
      evidence: row.evidence,
      recordedBy: row.recordedBy,
      occurredAt: row.occurredAt,
      evidenceRedactedAt: row.evidenceRedactedAt,
    }));
  },
  erase: (db, contact, now) => redactConsentEvidence(db, contact.id, now),
};

export const personalDataSections: PersonalDataSection[] = [
  profileSection,
  consentHistorySection,
  conversationsSection,
  messagesSection,
  notesSection,
  mediaSection,
  dataRequestsSection,
  tracesSection,
];

/**
 * A raw webhook body without the customer: their messages, contact cards and statuses are dropped
 * from every change; other customers' entries of the same batch stay. Unparseable bodies go whole.
 */
export function withoutCustomer(rawBody: string, ids: readonly string[]): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return JSON.stringify({ redacted: "erasure" });
  }
  const mentions = (item: unknown) => {
    const row = record(item);
    return [row.wa_id, row.user_id, row.from, row.from_user_id, row.recipient_id, row.recipient_user_id].some(
      (value) => typeof value === "string" && ids.includes(value),
    );
  };
  for (const entry of Array.isArray(record(parsed).entry) ? (record(parsed).entry as unknown[]) : []) {
    const changes = record(entry).changes;
    for (const change of Array.isArray(changes) ? changes : []) {
      const value = record(record(change).value);
      for (const key of ["contacts", "messages", "statuses"]) {
        const list = value[key];
        if (Array.isArray(list)) value[key] = list.filter((item) => !mentions(item));
      }
    }
  }
  const rewritten = JSON.stringify(parsed);
  // Whatever still names the customer (a shape we did not foresee) is not kept.
  return ids.some((id) => rewritten.includes(id)) ? JSON.stringify({ redacted: "erasure" }) : rewritten;
}

/** The contact row with nothing left that identifies the person. */
export async function anonymizeContactRow(db: Executor, contact: Contact, now: Date) {
  const [row] = await db
    .update(contacts)
    .set({ waId: null, waUserId: null, profileName: null, phone: null, anonymizedAt: now, updatedAt: now })
    .where(eq(contacts.id, contact.id))
    .returning();
  return row;
}
