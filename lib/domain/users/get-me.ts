import { eq } from "drizzle-orm";
import { users, type UserRole } from "@/lib/db/schema";
import type { Ctx } from "../context";
import { UnauthenticatedError } from "../errors";
import { inboxesOfUsers, type InboxRef } from "./inboxes-of";

export interface Me {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  inboxes: InboxRef[];
}

/** The signed-in user and the inboxes they work in. */
export async function getMe({ ctx }: { ctx: Ctx }): Promise<Me> {
  if (ctx.actor.kind !== "user") throw new UnauthenticatedError("Sign-in is required.");
  const [user] = await ctx.db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(eq(users.id, ctx.actor.userId));
  if (!user) throw new UnauthenticatedError("Your session has ended; sign in again.");
  const inboxes = (await inboxesOfUsers(ctx.db, [user.id])).get(user.id) ?? [];
  return { ...user, inboxes };
}
