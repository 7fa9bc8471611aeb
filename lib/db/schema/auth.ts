import { index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns";
import { users } from "./users";

/** One-time recovery codes; only a SHA-256 of each high-entropy code is kept. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("recovery_codes_user_hash_key").on(table.userId, table.codeHash)],
);

/** Personal API tokens: shown once, stored as a SHA-256 of the token, revocable. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, so a person can tell their tokens apart. */
    displayPrefix: text("display_prefix").notNull(),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("api_tokens_token_hash_key").on(table.tokenHash),
    index("api_tokens_user_idx").on(table.userId),
  ],
);

/**
 * Failed sign-in attempts counted per key (`account:<email>` or `ip:<address>`) in fixed windows;
 * a row is incremented before the password is checked, so parallel attempts cannot overrun the limit.
 */
export const authThrottles = pgTable(
  "auth_throttles",
  {
    key: text("key").notNull(),
    windowStart: timestamptz("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.key, table.windowStart] })],
);

export type RecoveryCode = typeof recoveryCodes.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
