import { eq, or, sql } from "drizzle-orm";
import { inboxes } from "@/lib/db/schema";
import type { Ctx } from "../context";
import { InvalidInputError } from "../errors";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Inbox ids for references given by id or by name (case-insensitive), as the command line takes them. */
export async function resolveInboxRefs({ ctx, refs }: { ctx: Ctx; refs: string[] }): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs) {
    const byName = sql`lower(${inboxes.name}) = ${ref.trim().toLowerCase()}`;
    const rows = await ctx.db
      .select({ id: inboxes.id })
      .from(inboxes)
      .where(uuidPattern.test(ref) ? or(eq(inboxes.id, ref), byName) : byName);
    if (rows.length === 0) throw new InvalidInputError(`No inbox is called or has the id "${ref}".`);
    if (rows.length > 1)
      throw new InvalidInputError(`Several inboxes are called "${ref}"; give its id instead.`);
    ids.push(rows[0]?.id ?? "");
  }
  return [...new Set(ids)];
}
