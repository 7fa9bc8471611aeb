import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt } from "./columns";
import { conversations } from "./conversations";
import { users } from "./users";

export const labelColors = ["slate", "red", "amber", "green", "blue", "violet", "pink"] as const;
export type LabelColor = (typeof labelColors)[number];

export const labels = pgTable(
  "labels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    color: text("color", { enum: labelColors }).notNull().default("slate"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("labels_name_key").on(sql`lower(${table.name})`)],
);

export const conversationLabels = pgTable(
  "conversation_labels",
  {
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    labelId: uuid("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
    addedBy: uuid("added_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.labelId] }),
    index("conversation_labels_label_idx").on(table.labelId),
  ],
);

export type Label = typeof labels.$inferSelect;
