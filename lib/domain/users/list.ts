import { asc } from "drizzle-orm";
import { users, type UserRole, type UserStatus } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { allInboxes, inboxesOfUsers, type InboxRef } from "./inboxes-of";

export interface UserSummary {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  status: UserStatus;
  inboxes: InboxRef[];
  twoFactorEnabled: boolean;
  lastLoginAt: Date | null;
  accessReviewedAt: Date | null;
  createdAt: Date;
}

/** Every team member with role, status, inboxes and 2FA state; plus the inboxes they can be given. */
export async function listUsers({
  ctx,
}: {
  ctx: Ctx;
}): Promise<{ users: UserSummary[]; inboxes: InboxRef[] }> {
  requirePermission(ctx.actor, "users.manage");
  return { users: await userSummaries(ctx), inboxes: await allInboxes(ctx.db) };
}

export async function userSummaries(ctx: Ctx): Promise<UserSummary[]> {
  const rows = await ctx.db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      status: users.status,
      totpEnabledAt: users.totpEnabledAt,
      lastLoginAt: users.lastLoginAt,
      accessReviewedAt: users.accessReviewedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.name), asc(users.id));
  const memberships = await inboxesOfUsers(
    ctx.db,
    rows.map((row) => row.id),
  );
  return rows.map(({ totpEnabledAt, ...row }) => ({
    ...row,
    twoFactorEnabled: totpEnabledAt !== null,
    inboxes: memberships.get(row.id) ?? [],
  }));
}
