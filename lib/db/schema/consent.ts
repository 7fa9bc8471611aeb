import { boolean, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { consentActions, consentPurposes, consentSources } from "../../policy/consent";
import { createdAt, enumCheck, timestamptz, updatedAt } from "./columns";
import { contacts } from "./contacts";
import { inboxes } from "./inboxes";
import { users } from "./users";

/**
 * The consent ledger: append-only (a trigger refuses UPDATE and DELETE; only the erasure function
 * `parley_redact_consent_evidence` may blank evidence). The current state is the latest event per
 * purpose, computed by lib/policy/consent.ts.
 */
export const consentEvents = pgTable(
  "consent_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: consentPurposes }).notNull(),
    action: text("action", { enum: consentActions }).notNull(),
    source: text("source", { enum: consentSources }).notNull(),
    /** The words the customer saw or sent; null after erasure. */
    evidence: text("evidence"),
    /** The person who recorded it (an agent, an importer, a token's owner); null for the customer's own. */
    recordedBy: uuid("recorded_by").references(() => users.id),
    /** The API token a website form used; no foreign key, as the proof outlives a revoked token. */
    apiTokenId: uuid("api_token_id"),
    /** The inbound message that carried a STOP/START keyword, when there was one. */
    messageId: uuid("message_id"),
    occurredAt: timestamptz("occurred_at").notNull(),
    /** Set, with evidence blanked, by the erasure of the contact's data. */
    evidenceRedactedAt: timestamptz("evidence_redacted_at"),
    createdAt: createdAt(),
  },
  (table) => [
    enumCheck("consent_events_purpose_check", table.purpose, consentPurposes),
    enumCheck("consent_events_action_check", table.action, consentActions),
    enumCheck("consent_events_source_check", table.source, consentSources),
    index("consent_events_contact_idx").on(table.contactId, table.occurredAt, table.createdAt),
  ],
);

export type ConsentEventRow = typeof consentEvents.$inferSelect;

/** An inbox's own STOP/START keywords and confirmation texts (null: the defaults). */
export const inboxConsentSettings = pgTable("inbox_consent_settings", {
  inboxId: uuid("inbox_id")
    .primaryKey()
    .references(() => inboxes.id, { onDelete: "cascade" }),
  extraOptOutKeywords: jsonb("extra_opt_out_keywords").$type<string[]>().notNull().default([]),
  extraOptInKeywords: jsonb("extra_opt_in_keywords").$type<string[]>().notNull().default([]),
  optOutConfirmation: text("opt_out_confirmation"),
  optInConfirmation: text("opt_in_confirmation"),
  sendConfirmations: boolean("send_confirmations").notNull().default(true),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

export type InboxConsentSettingsRow = typeof inboxConsentSettings.$inferSelect;
