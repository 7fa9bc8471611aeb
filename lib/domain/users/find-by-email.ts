import { sql } from "drizzle-orm";
import { users } from "@/lib/db/schema";
import { requirePermission, type Ctx } from "../context";
import { NotFoundError } from "../errors";

/** A user's id by email (case-insensitive), for the command line. */
export async function findUserIdByEmail({ ctx, email }: { ctx: Ctx; email: string }): Promise<string> {
  requirePermission(ctx.actor, "users.manage");
  const [user] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  if (!user) throw new NotFoundError(`No user has the email ${email}.`);
  return user.id;
}
