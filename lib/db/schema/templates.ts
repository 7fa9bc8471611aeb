import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, enumCheck, updatedAt } from "./columns";
import { inboxes } from "./inboxes";

export const templateCategories = ["utility", "marketing", "authentication"] as const;
export type TemplateCategory = (typeof templateCategories)[number];

/** Meta's review states; only `approved` templates may be sent. */
export const templateStatuses = ["approved", "pending", "rejected", "paused", "disabled"] as const;
export type TemplateStatus = (typeof templateStatuses)[number];

/** `named`: {{order_number}}; `positional`: {{1}}, {{2}}. */
export const templateParameterFormats = ["named", "positional"] as const;
export type TemplateParameterFormat = (typeof templateParameterFormats)[number];

/**
 * A message template approved by Meta for one WhatsApp number: the only thing that may be sent
 * once the 24-hour customer-service window has closed.
 */
export const templates = pgTable(
  "templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    /** Meta's template name: lower-case letters, digits and underscores. */
    name: text("name").notNull(),
    /** Meta's language code, e.g. en_US. */
    language: text("language").notNull(),
    category: text("category", { enum: templateCategories }).notNull(),
    status: text("status", { enum: templateStatuses }).notNull(),
    parameterFormat: text("parameter_format", { enum: templateParameterFormats }).notNull(),
    /** The body text with its placeholders, as the customer will read it once filled. */
    body: text("body").notNull(),
    /** Placeholder names in order of first appearance ("1", "2" for positional templates). */
    parameters: jsonb("parameters").$type<string[]>().notNull(),
    /** Header, footer and buttons as Meta describes them, kept for display. */
    components: jsonb("components").$type<Record<string, unknown>[]>(),
    /** Meta's id, when the template came from the WhatsApp Business Account. */
    externalId: text("external_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    enumCheck("templates_category_check", table.category, templateCategories),
    enumCheck("templates_status_check", table.status, templateStatuses),
    enumCheck("templates_parameter_format_check", table.parameterFormat, templateParameterFormats),
    uniqueIndex("templates_inbox_name_language_key").on(table.inboxId, table.name, table.language),
    index("templates_name_language_idx").on(table.name, table.language),
  ],
);

export type Template = typeof templates.$inferSelect;
export type NewTemplate = typeof templates.$inferInsert;
