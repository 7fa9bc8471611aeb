import { bigint, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz, enumCheck } from "./columns";
import { users } from "./users";

export const auditActorKinds = ["user", "system", "api_token", "anonymous"] as const;
export type AuditActorKind = (typeof auditActorKinds)[number];

/** Append-only; written in the same transaction as the change it records. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorKind: text("actor_kind", { enum: auditActorKinds }).notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (table) => [
    enumCheck("audit_log_actor_kind_check", table.actorKind, auditActorKinds),
    index("audit_log_at_idx").on(table.at.desc()),
    index("audit_log_actor_idx").on(table.actorId, table.at.desc()),
    index("audit_log_action_idx").on(table.action, table.at.desc()),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
