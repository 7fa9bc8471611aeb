import { sql } from "drizzle-orm";
import { createdAt, timestamptz, updatedAt, enumCheck } from "./columns";
import { bigint, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const userRoles = ["admin", "supervisor", "agent"] as const;
export type UserRole = (typeof userRoles)[number];

export const userStatuses = ["active", "deactivated"] as const;
export type UserStatus = (typeof userStatuses)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** Stored lower-cased; unique. */
    email: text("email").notNull(),
    passwordHash: text("password_hash"),
    role: text("role", { enum: userRoles }).notNull(),
    status: text("status", { enum: userStatuses }).notNull().default("active"),
    /** TOTP secret, encrypted with the key from the environment; null until enrolled. */
    totpSecretEncrypted: text("totp_secret_encrypted"),
    totpEnabledAt: timestamptz("totp_enabled_at"),
    /** The last accepted TOTP time step; only a strictly later step is accepted (no replay). */
    totpLastUsedStep: bigint("totp_last_used_step", { mode: "number" }),
    /** Bumped on any change of password, role, 2FA or status: every older session ends. */
    sessionVersion: integer("session_version").notNull().default(1),
    lastLoginAt: timestamptz("last_login_at"),
    accessReviewedAt: timestamptz("access_reviewed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("users_email_key").on(sql`lower(${table.email})`),
    enumCheck("users_role_check", table.role, userRoles),
    enumCheck("users_status_check", table.status, userStatuses),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
