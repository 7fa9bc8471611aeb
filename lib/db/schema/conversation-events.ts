import { bigint, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, enumCheck } from "./columns";
import { conversations } from "./conversations";
import { users } from "./users";

export const conversationEventKinds = [
  "assigned",
  "unassigned",
  "status_changed",
  "label_added",
  "label_removed",
] as const;
export type ConversationEventKind = (typeof conversationEventKinds)[number];

/** The small lines in a thread ("Dana assigned this to Sam"), kept beside the messages. */
export const conversationEvents = pgTable(
  "conversation_events",
  {
    // Insertion order breaks ties between lines written at the same instant.
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: conversationEventKinds }).notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** Names as they were at the time, so the line reads the same after a rename. */
    details: jsonb("details").$type<Record<string, string | null>>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    enumCheck("conversation_events_kind_check", table.kind, conversationEventKinds),
    index("conversation_events_conversation_idx").on(table.conversationId, table.createdAt),
  ],
);

export type ConversationEvent = typeof conversationEvents.$inferSelect;
